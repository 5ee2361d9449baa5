//! Adam as PyTorch implements it (weight decay added to the gradient, bias
//! correction), preceded by element-wise gradient clamping as in the
//! official notebook.

use crate::linalg::Real;

/// Adam's hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamSettings {
    /// Decay of the running mean of the gradient.
    pub beta1: f64,
    /// Decay of the running mean of the squared gradient.
    pub beta2: f64,
    /// Added to the denominator, so that the step stays finite where the
    /// mean squared gradient is near zero.
    pub eps: f64,
    /// L2 penalty, added to each gradient as `weight_decay * weight`.
    pub weight_decay: f64,
    /// Each gradient element is clamped to `[-grad_clamp, grad_clamp]`.
    pub grad_clamp: f64,
}

/// The optimiser's running moments; the settings are passed in each step so
/// that the state alone is what a checkpoint would need.
#[derive(Clone, Debug)]
pub struct Adam<T> {
    m: Vec<T>,
    v: Vec<T>,
    t: i32,
}

impl<T: Real> Adam<T> {
    /// Zeroed moments for `n` parameters.
    pub fn new(n: usize) -> Self {
        Adam {
            m: vec![T::zero(); n],
            v: vec![T::zero(); n],
            t: 0,
        }
    }

    /// Clamps `grads` in place, then updates `params` with learning rate `lr`.
    pub fn step(&mut self, s: &AdamSettings, lr: f64, params: &mut [T], grads: &mut [T]) {
        self.t += 1;
        let (b1, b2) = (T::of(s.beta1), T::of(s.beta2));
        let (one, eps, wd, gc) = (
            T::one(),
            T::of(s.eps),
            T::of(s.weight_decay),
            T::of(s.grad_clamp),
        );
        let bias1 = 1.0 - s.beta1.powi(self.t);
        let bias2_sqrt = T::of((1.0 - s.beta2.powi(self.t)).sqrt());
        let step = T::of(lr / bias1);
        for (((p, g), m), v) in params
            .iter_mut()
            .zip(grads.iter_mut())
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            *g = g.max(-gc).min(gc);
            let gd = *g + wd * *p;
            *m = b1 * *m + (one - b1) * gd;
            *v = b2 * *v + (one - b2) * gd * gd;
            *p -= step * *m / (v.sqrt() / bias2_sqrt + eps);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: AdamSettings = AdamSettings {
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weight_decay: 0.0,
        grad_clamp: 15.0,
    };

    #[test]
    fn first_step_moves_each_weight_by_the_learning_rate_against_its_gradient_sign() {
        let mut p = vec![1.0f64, -2.0];
        let mut g = vec![0.5, -3.0];
        Adam::new(2).step(&S, 0.01, &mut p, &mut g);
        assert!(
            (p[0] - 0.99).abs() < 1e-9 && (p[1] + 1.99).abs() < 1e-9,
            "{p:?}"
        );
    }

    #[test]
    fn gradients_are_clamped_element_wise() {
        let mut p = vec![0.0f64];
        let mut g = vec![100.0];
        Adam::new(1).step(&S, 0.1, &mut p, &mut g);
        assert_eq!(g[0], 15.0);
    }

    #[test]
    fn minimises_a_quadratic() {
        let mut p = vec![3.0f64, -1.0];
        let mut adam = Adam::new(2);
        for _ in 0..2000 {
            let mut g: Vec<f64> = p.iter().map(|x| 2.0 * (x - 0.5)).collect();
            adam.step(&S, 0.01, &mut p, &mut g);
        }
        assert!(p.iter().all(|x| (x - 0.5).abs() < 1e-3), "{p:?}");
    }
}
