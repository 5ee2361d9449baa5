//! The guided lesson (`#lesson=tour&step=N`): the seminar's order, one
//! step per idea, each a few sentences, the link that sets the page up for
//! it, the controls it shows (every other one is hidden) and, where it
//! fits, a question with the panels that stay hidden until "Reveal".
//!
//! Every sentence must be true of what the page shows: a step that names a
//! result asks about it instead of asserting it, and the captions under the
//! panels (written by the core from the scores) give the answer.

/// One step of a lesson.
pub struct Step {
    /// The step's heading.
    pub title: &'static str,
    /// A few sentences on what the page shows here.
    pub text: &'static str,
    /// A question to answer before revealing, or empty.
    pub question: &'static str,
    /// The link pairs that set the page up (settings and page keys).
    pub link: &'static str,
    /// The controls and panels shown; every other one is hidden.
    pub show: &'static [&'static str],
    /// Shown panels that stay hidden until the question is answered.
    pub reveal: &'static [&'static str],
}

/// The lessons a link may name.
pub const LESSONS: [&str; 1] = ["tour"];

/// The tour: the seminar's order, from the inverse problem to the open
/// questions.
pub const TOUR: [Step; 10] = [
    Step {
        title: "The inverse problem",
        text: "A point x is drawn from one of eight Gaussian modes; what we observe is y, the colour of its mode. Going forward, from x to y, is easy. Going back is ambiguous: with the label map \"some\", four modes share the colour red, so a red observation is explained by points in four places. The answer to an inverse problem is a distribution: the posterior p(x | y).",
        question: "Red was observed. Where could x be?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["data", "picker", "exact"],
        reveal: &["exact"],
    },
    Step {
        title: "MCMC: walking the posterior",
        text: "Markov chain Monte Carlo (Metropolis-Hastings) walks through x: it proposes a move and accepts it by the ratio of the posterior densities. It needs only the density, not its normaliser, but it pays again for every observation, and a chain crosses the empty space between modes only by chance. The cell draws each chain's path; R-hat far above 1.1 says the chains disagree.",
        question: "Eight chains, four red modes: will each mode get a quarter of the samples?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["picker", "mcmc", "exact", "mcmc_chains"],
        reveal: &["mcmc"],
    },
    Step {
        title: "ABC: simulate and keep what fits",
        text: "Approximate Bayesian computation draws x from the prior, simulates its observation, and keeps x when the simulated y lands within a tolerance of the observed y*. Here the observation is a colour, so with a tolerance between about 0.45 and 1 ABC keeps exactly the points of that colour: it is exact, and each kept sample costs about one simulation per the colour's prior share. A smaller tolerance also rejects points of the right colour, on the noise alone.",
        question: "Set the tolerance to 0.3: what happens to the number of simulations per kept sample?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["picker", "abc", "exact", "abc_eps"],
        reveal: &[],
    },
    Step {
        title: "Neural shortcuts",
        text: "A network can learn the answer directly and then answer any colour with one pass. A mean-variance network predicts one Gaussian for x given y; a network with variational weights (Bayes by Backprop) makes its weights uncertain; a conditional GAN turns noise and y into samples. The three train when the page opens; the caption under each cell says what its samples did.",
        question: "Which of the three can put its samples in all four red modes, each as wide as the truth?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["picker", "mean-variance", "variational", "cgan", "exact"],
        reveal: &["mean-variance", "variational", "cgan"],
    },
    Step {
        title: "The INN: x \u{2194} [y, z]",
        text: "An invertible network learns the forward process x \u{2192} y and adds latent variables z that carry what y does not say about x: f(x) = [y, z]. Training makes z a standard Gaussian, independent of y. The inverse then answers any observation: draw z from N(0, I) and compute x = f\u{207b}\u{b9}(y*, z), one pass per sample, without retraining. Press Train and watch the forward view take the data's colours.",
        question: "When the network has trained, what will the latent view look like: one cloud per colour, or one cloud for all?",
        link: "preset=fast&labels=some&seed=1",
        show: &["train", "reset", "data", "forward", "latent"],
        reveal: &["latent"],
    },
    Step {
        title: "The affine coupling layer",
        text: "Each block splits its input into halves u1, u2: v1 = u1 \u{2299} exp(s2(u2)) + t2(u2), then v2 = u2 \u{2299} exp(s1(v1)) + t1(v1). The subnetworks s and t are ordinary networks that are never inverted: the inverse is u2 = (v2 \u{2212} t1(v1)) \u{2299} exp(\u{2212}s1(v1)), then u1 = (v1 \u{2212} t2(u2)) \u{2299} exp(\u{2212}s2(u2)), and log|det J| is the sum of the (clamped) log-scales s. A fixed permutation mixes the coordinates between blocks, and a soft clamp bounds the scales. The coupling panel follows the test points and a grid of the x plane through every block and permutation (move its scrubber), writes one block's equations with the live values of the point under the cursor, and maps log|det J| over the x plane; here you also set the number of blocks, the subnetworks' width and the clamp.",
        question: "With a single coupling block, will the latent view still become one round cloud?",
        link: "preset=fast&labels=some&seed=1",
        show: &["train", "reset", "coupling", "latent", "blocks", "hidden", "clamp"],
        reveal: &[],
    },
    Step {
        title: "Training both ways, with MMD",
        text: "Training runs the network in both directions. Forward, L_y fits the y part of f(x) to the observed colour, and L_z makes [z, y] match [N(0, I), y] by the maximum mean discrepancy (MMD): a distance between two sets of samples that needs no density. Backward, L_x compares samples x = f\u{207b}\u{b9}(y, z) with the training points by MMD (ramped up during training), and a reconstruction term keeps f\u{207b}\u{b9}(f(x)) = x. The presets forward-only and backward-only are the paper's ablations.",
        question: "Choose the preset forward-only (L_y and L_z alone) and train: where will red's samples go?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["train", "reset", "preset", "picker", "inn", "exact", "losses"],
        reveal: &[],
    },
    Step {
        title: "The toy, whole",
        text: "Everything together on the paper's toy: the default network trains in this tab and answers each colour with one inverse pass per sample, scored against the exact posterior (the share of samples in a correct mode, and MMD\u{b2}). While it trains, the page checks it against the fidelity bar of the core's tests and says when every colour cleared it. Pick another colour: no retraining.",
        question: "Red has four modes. Where will the INN's samples for red land, and in what shares?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["train", "reset", "picker", "bar", "inn", "exact", "sharpen"],
        reveal: &["inn"],
    },
    Step {
        title: "The robot arm",
        text: "Now x is an arm's pose (its base's height on a rail and three joint angles) and y is where its tip is: a continuous observation, with noise of std 0.01. Many poses reach the same point, and the posterior is the fan of all of them. Drag the target: the exact fan follows it, and the INN's fan, from its latest weights as it trains, is drawn in blue. ABC pays for every query: almost no simulated tip lands near a continuous target, and its price is stated as it is paid.",
        question: "Halve ABC's tolerance: how many more simulations will each kept arm cost?",
        link: "preset=arm",
        show: &["arm-abc", "arm-mcmc", "arm-many"],
        reveal: &[],
    },
    Step {
        title: "Open questions",
        text: "Three choices the paper leaves open, which you can try here. The intrinsic dimension: how many latent dimensions z needs (x has 2; the default network has 4). How to split: each block here cuts its input into two halves and transforms each from the other. How to permute: the fixed random permutations between the blocks are drawn from the seed.",
        question: "With 2 latent dimensions instead of 4, or another seed, will the posterior still match the exact one?",
        link: "preset=fast&labels=some&seed=1&colour=0",
        show: &["train", "reset", "seed", "picker", "latent", "inn", "exact", "ndim_z", "blocks"],
        reveal: &[],
    },
];

/// The steps of the lesson named `name`, if there is one.
pub fn steps(name: &str) -> Option<&'static [Step]> {
    match name {
        "tour" => Some(&TOUR),
        _ => None,
    }
}
