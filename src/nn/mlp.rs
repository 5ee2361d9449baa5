//! A dense ReLU network whose weights live in a slice of the model's flat
//! parameter vector, so that the optimiser, the model file and the gradient
//! checks all see one array.

use crate::linalg::{ensure_len, gemm_nn_then, gemm_nt, gemm_nt_then, gemm_tn, Real, Then};

/// Shape of one dense layer and where its weights sit in the parameter vector.
#[derive(Clone, Debug, PartialEq)]
struct Dense {
    inputs: usize,
    outputs: usize,
    /// Offset of the `inputs x outputs` weight matrix (row-major).
    w: usize,
    /// Offset of the `outputs` biases.
    b: usize,
}

/// `inputs -> hidden (ReLU) -> ... -> outputs`, no activation on the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    layers: Vec<Dense>,
}

/// What a forward pass keeps for its backward pass. One cache per call
/// site; buffers are reused across steps.
#[derive(Clone, Debug, Default)]
pub struct MlpCache<T> {
    /// `acts[0]` is the input; `acts[i]` the (post-ReLU) output of layer `i-1`;
    /// the last is the network output.
    acts: Vec<Vec<T>>,
    rows: usize,
}

/// Transient buffers of a backward pass. One serves every network of a
/// model: it holds nothing between calls, and keeping one per network
/// would double the memory of the widest layers.
#[derive(Clone, Debug, Default)]
pub struct MlpScratch<T> {
    grad_a: Vec<T>,
    grad_b: Vec<T>,
}

impl<T: Real> MlpCache<T> {
    /// The output of the last forward pass (`rows x outputs`).
    pub fn output(&self) -> &[T] {
        self.acts.last().map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Mlp {
    /// Lays out a network `inputs -> hidden x depth -> outputs` starting at
    /// parameter offset `*offset`, which it advances past its own weights.
    pub fn new(
        inputs: usize,
        hidden: usize,
        depth: usize,
        outputs: usize,
        offset: &mut usize,
    ) -> Self {
        let mut sizes = vec![inputs];
        sizes.extend(std::iter::repeat_n(hidden, depth));
        sizes.push(outputs);
        let layers = sizes
            .windows(2)
            .map(|io| {
                let w = *offset;
                let b = w + io[0] * io[1];
                *offset = b + io[1];
                Dense {
                    inputs: io[0],
                    outputs: io[1],
                    w,
                    b,
                }
            })
            .collect();
        Mlp { layers }
    }

    /// Input dimension.
    pub fn inputs(&self) -> usize {
        self.layers[0].inputs
    }

    /// Output dimension.
    pub fn outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].outputs
    }

    /// Multiply-adds of one forward pass for one sample (for FLOP counts).
    pub fn macs_per_sample(&self) -> usize {
        self.layers.iter().map(|l| l.inputs * l.outputs).sum()
    }

    /// Runs the network on `rows` inputs; the output is `cache.output()`.
    pub fn forward<T: Real>(
        &self,
        params: &[T],
        input: &[T],
        rows: usize,
        cache: &mut MlpCache<T>,
    ) {
        let n_acts = self.layers.len() + 1;
        if cache.acts.len() != n_acts {
            cache.acts.resize_with(n_acts, Vec::new);
        }
        cache.rows = rows;
        ensure_len(&mut cache.acts[0], rows * self.inputs());
        cache.acts[0].copy_from_slice(input);
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            let (before, after) = cache.acts.split_at_mut(i + 1);
            let (x, y) = (&before[i], &mut after[0]);
            ensure_len(y, rows * layer.outputs);
            let w = &params[layer.w..layer.w + layer.inputs * layer.outputs];
            // Bias and ReLU as the product stores each value.
            let bias = &params[layer.b..layer.b + layer.outputs];
            let relu = i != last;
            let then = Then::AddBias { bias, relu };
            gemm_nn_then(rows, layer.inputs, layer.outputs, x, w, y, then);
        }
    }

    /// Backpropagates `grad_out` (`rows x outputs`) through the last forward
    /// pass: adds the weight gradients into `grads` and writes the input
    /// gradient into `grad_in` (`rows x inputs`), overwriting it.
    pub fn backward<T: Real>(
        &self,
        params: &[T],
        grads: &mut [T],
        grad_out: &[T],
        cache: &MlpCache<T>,
        scratch: &mut MlpScratch<T>,
        grad_in: &mut [T],
    ) {
        let rows = cache.rows;
        let acts = &cache.acts;
        let MlpScratch { grad_a, grad_b } = scratch;
        // The last layer reads `grad_out` itself; each layer below reads
        // what the one above wrote into `grad_a`.
        let mut g_in_scratch = false;
        for (i, layer) in self.layers.iter().enumerate().rev() {
            // dL/d(pre-activation output of layer i)
            let g: &[T] = if g_in_scratch { grad_a } else { grad_out };
            let x = &acts[i];
            let (wo, bo) = (layer.w, layer.b);
            let nw = layer.inputs * layer.outputs;
            // dW += x^T * g ; db += column sums of g
            gemm_tn(
                layer.inputs,
                rows,
                layer.outputs,
                x,
                g,
                T::one(),
                &mut grads[wo..wo + nw],
            );
            let db = &mut grads[bo..bo + layer.outputs];
            for row in g.chunks_exact(layer.outputs) {
                for (d, g) in db.iter_mut().zip(row) {
                    *d += *g;
                }
            }
            let w = &params[wo..wo + nw];
            if i == 0 {
                gemm_nt(rows, layer.outputs, layer.inputs, g, w, T::zero(), grad_in);
            } else {
                ensure_len(grad_b, rows * layer.inputs);
                // ReLU: the gradient passes where the activation was positive.
                gemm_nt_then(
                    rows,
                    layer.outputs,
                    layer.inputs,
                    g,
                    w,
                    grad_b,
                    Then::KeepWherePositive(x),
                );
                std::mem::swap(grad_a, grad_b);
                g_in_scratch = true;
            }
        }
    }
}
