//! The sorts of the core, both through one instantiation of the standard
//! library's unstable sort, of `u128` keys: each distinct sort call would
//! otherwise be several kilobytes of the page's module. Both orders here
//! are total, so the result is the one any correct sort gives, bit for bit.

/// `x`'s bits, mapped so that unsigned order is `f64::total_cmp` order:
/// negative values (sign set) have all bits flipped, the others the sign.
fn ordered(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The inverse of [`ordered`].
fn unordered(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Sorts `v` ascending by `f64::total_cmp`. Every sort of floats goes
/// through here (and of keyed indices through [`sort_marks`]).
pub fn sort_floats(v: &mut [f64]) {
    let mut keys: Vec<u128> = v.iter().map(|&x| u128::from(ordered(x)) << 64).collect();
    keys.sort_unstable();
    for (x, k) in v.iter_mut().zip(keys) {
        *x = unordered((k >> 64) as u64);
    }
}

/// Sorts `(key, index)` pairs ascending by key, ties by index: the order a
/// stable sort by key gives when the indices are the original positions.
pub fn sort_marks(v: &mut [(f64, usize)]) {
    let mut keys: Vec<u128> = v
        .iter()
        .map(|&(x, i)| u128::from(ordered(x)) << 64 | i as u128)
        .collect();
    keys.sort_unstable();
    for (m, k) in v.iter_mut().zip(keys) {
        *m = (unordered((k >> 64) as u64), k as u64 as usize);
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
