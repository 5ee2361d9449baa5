//! The sorts of the core: a small stable merge sort in place of the
//! standard library's, whose every instantiation is several kilobytes of
//! the page's module. Both orders here are total, so any correct sort gives
//! the same result bit for bit.

/// Sorts `v` ascending by `f64::total_cmp`. Every sort of floats goes
/// through here (and of keyed indices through [`sort_marks`]).
pub fn sort_floats(v: &mut [f64]) {
    merge_sort(v, |a, b| a.total_cmp(b).is_lt());
}

/// Sorts `(key, index)` pairs ascending by key, ties by index: the order a
/// stable sort by key gives when the indices are the original positions.
pub fn sort_marks(v: &mut [(f64, usize)]) {
    merge_sort(v, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).is_lt());
}

/// Runs this long are sorted by insertion before the merges.
const RUN: usize = 16;

/// Sorts `v` stably by `less`: insertion sort on runs of [`RUN`], then
/// passes that merge neighbouring runs into a buffer and back, doubling
/// the run each pass.
fn merge_sort<T: Copy>(v: &mut [T], less: fn(&T, &T) -> bool) {
    let n = v.len();
    for run in v.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && less(&run[j], &run[j - 1]) {
                run.swap(j, j - 1);
                j -= 1;
            }
        }
    }
    if n <= RUN {
        return;
    }
    let mut buf = v.to_vec();
    let (mut src, mut dst): (&mut [T], &mut [T]) = (v, &mut buf);
    let (mut width, mut result_in_v) = (RUN, true);
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut dst[start..end] {
                // Takes from the left run on ties: the merge is stable.
                if j == end || (i < mid && !less(&src[j], &src[i])) {
                    *slot = src[i];
                    i += 1;
                } else {
                    *slot = src[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut src, &mut dst);
        width *= 2;
        result_in_v = !result_in_v;
    }
    if !result_in_v {
        dst.copy_from_slice(src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn floats_sort_as_the_standard_sort_does() {
        let mut r = Rng::new(5);
        for n in [0, 1, 2, 15, 16, 17, 31, 33, 100, 257, 1000] {
            let mut v: Vec<f64> = (0..n)
                .map(|i| match i % 7 {
                    0 => -0.0,
                    1 => 0.0,
                    2 => (r.normal() * 3.0).round(),
                    3 => f64::NAN,
                    4 => -f64::INFINITY,
                    _ => r.normal(),
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable_by(f64::total_cmp);
            sort_floats(&mut v);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&want), "n = {n}");
        }
    }

    #[test]
    fn marks_sort_by_key_then_index() {
        let mut r = Rng::new(6);
        for n in [0, 3, 16, 40, 500] {
            // Few distinct keys, indices shuffled: ties are decided by index.
            let mut v: Vec<(f64, usize)> = (0..n)
                .map(|i| ((r.normal() * 2.0).round(), (i * 7919) % (n + 1)))
                .collect();
            let mut want = v.clone();
            want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            sort_marks(&mut v);
            assert_eq!(v, want, "n = {n}");
        }
    }
}
