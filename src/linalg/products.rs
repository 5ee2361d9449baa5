//! The products the layers call, named by which operand is transposed
//! (`n`: as stored, `t`: transposed), each through
//! [`Real::gemm_strided`].

use super::{Real, Then};

/// `c = a * b + beta * c`; `a` is `m x k`, `b` is `k x n`, row-major.
pub fn gemm_nn<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (k_, n_) = (k as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (k_, 1),
        b,
        (n_, 1),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}

/// `c = a * b^T + beta * c`; `a` is `m x k`, `b` is `n x k`, row-major.
pub fn gemm_nt<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (k_, n_) = (k as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (k_, 1),
        b,
        (1, k_),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}

/// `c = a * b` then `then` on each value ([`Real::gemm_strided`]); `a` is
/// `m x k`, `b` is `k x n`, row-major.
pub fn gemm_nn_then<T: Real>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    then: Then<T>,
) {
    product_then((m, k, n), a, (k as isize, 1), b, (n as isize, 1), c, then);
}

/// `c = a * b^T` then `then` on each value; `a` is `m x k`, `b` is `n x k`,
/// row-major.
pub fn gemm_nt_then<T: Real>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    then: Then<T>,
) {
    product_then((m, k, n), a, (k as isize, 1), b, (1, k as isize), c, then);
}

/// `c = a * b` into a row-major `c`, then `then` on each value.
fn product_then<T: Real>(
    (m, k, n): (usize, usize, usize),
    a: &[T],
    a_strides: (isize, isize),
    b: &[T],
    b_strides: (isize, isize),
    c: &mut [T],
    then: Then<T>,
) {
    let (one, zero, c_strides) = (T::one(), T::zero(), (n as isize, 1));
    T::gemm_strided(
        m, k, n, one, a, a_strides, b, b_strides, zero, c, c_strides, then,
    );
}

/// `c = a^T * b + beta * c`; `a` is `k x m`, `b` is `k x n`, row-major.
pub fn gemm_tn<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (m_, n_) = (m as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (1, m_),
        b,
        (n_, 1),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}
