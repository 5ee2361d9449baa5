//! Decimal text to `f64`, correctly rounded (to nearest, ties to even),
//! accepting exactly what `str::parse::<f64>` accepts among texts of
//! digits, `.`, `+`, `-`, `e` and `E`. Settings are read through this
//! rather than the standard parser because the standard one ships a large
//! table of powers of five in the page's module; here the rare long or
//! far-out values are rounded with exact integer arithmetic instead, and
//! short values (up to 19 digits, powers of ten up to 22) take the exact
//! fast path of Clinger's algorithm.

/// Exact powers of ten as `f64` (10^22 is the last one that is exact).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of `text`, or `None` if it is not a decimal number:
/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. Values
/// beyond the largest `f64` are infinite, values below the least
/// subnormal's half are zero (with their sign), as the standard parser has
/// them.
pub fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let (negative, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut digits: Vec<u8> = Vec::new();
    let mut exponent: i64 = 0;
    let mut seen = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        digits.push(b[i] - b'0');
        seen += 1;
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            digits.push(b[i] - b'0');
            exponent -= 1;
            seen += 1;
            i += 1;
        }
    }
    if seen == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e: i64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            e = (e * 10 + i64::from(b[i] - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += sign * e;
    }
    if i != b.len() {
        return None;
    }
    let value = magnitude(&digits, exponent);
    Some(if negative { -value } else { value })
}

/// The correctly rounded value of `digits` (most significant first) times
/// 10^`exponent`.
fn magnitude(digits: &[u8], mut exponent: i64) -> f64 {
    let first = digits.iter().position(|&d| d != 0);
    let Some(first) = first else { return 0.0 };
    let mut digits = &digits[first..];
    while let [rest @ .., 0] = digits {
        digits = rest;
        exponent += 1;
    }
    let order = digits.len() as i64 + exponent; // value in [10^(order-1), 10^order)
    if order > 310 {
        return f64::INFINITY;
    }
    if order < -326 {
        return 0.0;
    }
    if digits.len() <= 19 {
        let m = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d));
        if m <= 1 << 53 && exponent.abs() <= 22 {
            let p = POW10[exponent.unsigned_abs() as usize];
            return if exponent >= 0 {
                m as f64 * p
            } else {
                m as f64 / p
            };
        }
    }
    let mut n = Big::from_digits(digits);
    let (q, sticky, e2) = if exponent >= 0 {
        n.mul_pow10(exponent as u32);
        n.top64()
    } else {
        let mut p = Big::one();
        p.mul_pow10((-exponent) as u32);
        // q = floor(n * 2^s / p) with 64 or 65 bits.
        let s = 64 + p.bits() as i64 - n.bits() as i64;
        if s >= 0 {
            n.shl(s as usize);
        } else {
            p.shl((-s) as usize);
        }
        let (q, exact) = n.div_small_quotient(&p, 66);
        let sticky = !exact;
        // n * 2^s has 64 more bits than p: q has 64 or 65; 65 are halved.
        if q >> 64 == 1 {
            ((q >> 1) as u64, sticky || q & 1 == 1, -s + 1)
        } else {
            (q as u64, sticky, -s)
        }
    };
    round(q, sticky, e2)
}

/// `q` (its top bit set) times 2^`e2`, plus a little more if `sticky`,
/// rounded to the nearest `f64` (ties to even).
fn round(q: u64, sticky: bool, e2: i64) -> f64 {
    debug_assert!(q >> 63 == 1);
    let top = e2 + 63; // the binary exponent of q's leading bit
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits kept: 53 for a normal result, fewer for a subnormal one.
    let keep = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    if keep <= 0 {
        // Below half the least subnormal, or just at or above it.
        let half = keep == 0 && (q << 1 != 0 || sticky);
        return if half { f64::from_bits(1) } else { 0.0 };
    }
    let drop = 64 - keep as u32;
    let mut m = q >> drop;
    let rem = q & ((1u64 << drop) - 1);
    let half = 1u64 << (drop - 1);
    if rem > half || (rem == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    // m times 2^(e2 + drop), exact: split the power so no factor leaves
    // the range of f64.
    let shift = e2 + i64::from(drop);
    let value = m as f64 * pow2(shift / 2) * pow2(shift - shift / 2);
    if value.is_infinite() {
        return f64::INFINITY;
    }
    value
}

/// 2^`k` for `k` in [-1074, 1023]; beyond, the nearest of 0 and infinity.
fn pow2(k: i64) -> f64 {
    if k > 1023 {
        f64::INFINITY
    } else if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else if k >= -1074 {
        f64::from_bits(1u64 << (k + 1074))
    } else {
        0.0
    }
}

/// A non-negative integer, 32-bit limbs, least significant first.
struct Big(Vec<u32>);

impl Big {
    fn one() -> Big {
        Big(vec![1])
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(vec![0]);
        for &d in digits {
            n.mul_add(10, u32::from(d));
        }
        n
    }

    fn mul_add(&mut self, k: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(k) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut e: u32) {
        while e >= 9 {
            self.mul_add(1_000_000_000, 0);
            e -= 9;
        }
        self.mul_add(10u32.pow(e), 0);
    }

    fn bits(&self) -> usize {
        let top = self.0.iter().rposition(|&l| l != 0).unwrap_or(0);
        top * 32 + (32 - self.0[top].leading_zeros() as usize)
    }

    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    fn shl(&mut self, k: usize) {
        let (limbs, bits) = (k / 32, k % 32);
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &l in &self.0 {
            out.push(if bits == 0 { l } else { l << bits | carry });
            carry = if bits == 0 { 0 } else { l >> (32 - bits) };
        }
        out.push(carry);
        self.0 = out;
    }

    /// The top 64 bits (the leading one at bit 63), whether any bit below
    /// them is set, and the power of two they are scaled by.
    fn top64(&self) -> (u64, bool, i64) {
        let n = self.bits();
        let mut q = 0u64;
        for i in 0..64 {
            let at = n as i64 - 1 - i;
            q = q << 1 | u64::from(at >= 0 && self.bit(at as usize));
        }
        let sticky = (0..n.saturating_sub(64)).any(|i| self.bit(i));
        (q, sticky, n as i64 - 64)
    }

    /// `self / d` when the quotient has at most `bits` bits, by binary long
    /// division; and whether the remainder is zero. Consumes `self`.
    fn div_small_quotient(mut self, d: &Big, bits: usize) -> (u128, bool) {
        let mut q = 0u128;
        for i in (0..bits).rev() {
            let mut t = Big(d.0.clone());
            t.shl(i);
            if self.cmp(&t) != std::cmp::Ordering::Less {
                self.sub(&t);
                q |= 1 << i;
            }
        }
        (q, self.0.iter().all(|&l| l == 0))
    }

    fn cmp(&self, o: &Big) -> std::cmp::Ordering {
        let n = self.0.len().max(o.0.len());
        for i in (0..n).rev() {
            let (a, b) = (
                self.0.get(i).copied().unwrap_or(0),
                o.0.get(i).copied().unwrap_or(0),
            );
            if a != b {
                return a.cmp(&b);
            }
        }
        std::cmp::Ordering::Equal
    }

    /// `self -= o`, for `o <= self`.
    fn sub(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = i64::from(self.0[i]) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            self.0[i] = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    /// The standard parser's answer, as bits, or `None`.
    fn std_bits(s: &str) -> Option<u64> {
        s.parse::<f64>().ok().map(f64::to_bits)
    }

    fn check(s: &str) {
        assert_eq!(parse_f64(s).map(f64::to_bits), std_bits(s), "'{s}'");
    }

    #[test]
    fn every_short_text_reads_as_the_standard_parser_reads_it() {
        // Every text of up to 5 characters from the alphabet: the grammar.
        const A: &[u8] = b"0123456789.+-eE";
        let mut s = Vec::new();
        fn all(s: &mut Vec<u8>, left: usize) {
            check(std::str::from_utf8(s).unwrap());
            if left == 0 {
                return;
            }
            for &c in A {
                s.push(c);
                all(s, left - 1);
                s.pop();
            }
        }
        all(&mut s, 5);
    }

    #[test]
    fn hard_values_round_as_the_standard_parser_rounds_them() {
        for s in [
            "0.02",
            "1e-6",
            "0.00002",
            "2e-5",
            "0.1",
            "1e23",
            "9007199254740993",
            "9007199254740995",
            "9007199254740992.5",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203126",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "7.4109846876186981e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e308",
            "1e309",
            "1e-400",
            "-1e-400",
            "-0",
            "+0.0",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001234567",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "00000.000001e6",
        ] {
            check(s);
        }
    }

    #[test]
    fn random_decimals_round_as_the_standard_parser_rounds_them() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..100_000 {
            let r = next();
            let n = 1 + (r % 30) as usize;
            let mut s: String = (0..n)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            if r >> 8 & 1 == 1 {
                s.insert((r >> 9) as usize % (n + 1), '.');
            }
            let e = (next() % 700) as i64 - 350;
            if r >> 20 & 3 != 0 {
                s += &format!("e{e}");
            }
            check(&s);
            // And a value the standard formatting prints, read back.
            let x = f64::from_bits(next() >> 1);
            if x.is_finite() {
                check(&format!("{x:e}"));
                check(&format!("{x}"));
            }
        }
    }
}
