//! Seeded random numbers for the synthetic jurisdiction: ChaCha8 streams derived from the seed
//! and a stream number, and the few distributions the generator needs, computed with `libm` so
//! that a seed gives the same bytes natively and in wasm32.

use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded random stream.
pub struct Rng(ChaCha8Rng);

/// Mix a seed and a stream number into one 64-bit seed (SplitMix64 finaliser).
pub fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stream families, so that the streams of different stages never collide.
pub mod stream {
    /// The population (households, relationships).
    pub const POPULATION: u64 = 1 << 40;
    /// One offender's career: `CAREER + person index`.
    pub const CAREER: u64 = 2 << 40;
    /// One incident's records, as clerks type them: `RECORDS + incident index`.
    pub const RECORDS: u64 = 3 << 40;
    /// Calls for service, orders and other jurisdiction-wide draws.
    pub const MISC: u64 = 4 << 40;
    /// The programme's records (failed attempts, advocates' contacts): `PROGRAMME + notification
    /// index`, and `PROGRAMME + (1 << 32) + person` for contacts.
    pub const PROGRAMME: u64 = 5 << 40;
}

impl Rng {
    /// The stream `stream` of `seed`.
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(mix(seed, stream)))
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn f64(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Uniform integer in [0, n); 0 when n is 0. Drawn as `u32` so 32-bit wasm and 64-bit
    /// native builds consume the stream identically.
    #[inline]
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            self.0.random_range(0..n) as usize
        }
    }

    /// Uniform integer in [lo, hi].
    #[inline]
    pub fn range(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    /// One element of a non-empty slice.
    #[inline]
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// One string of a non-empty list.
    #[inline]
    pub fn pick_str(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// Exponential with the given rate (per unit time).
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -libm::log(1.0 - self.f64()) / rate
    }

    /// Geometric count of extra items: 0 with probability 1-p, 1 with p(1-p), ...
    pub fn geometric(&mut self, p: f64, max: u32) -> u32 {
        let mut n = 0;
        while n < max && self.chance(p) {
            n += 1;
        }
        n
    }
}

/// A weighted choice among `n` items in O(log n).
#[derive(Clone, Debug, Default)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// From non-negative weights (at least one positive).
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut acc = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        Weighted { cumulative }
    }

    /// An index drawn with probability proportional to its weight.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Pick from a table of `(weight, value)`.
pub fn pick_weighted<T: Copy>(rng: &mut Rng, table: &[(f64, T)]) -> T {
    let total: f64 = table.iter().map(|(w, _)| w).sum();
    let mut x = rng.f64() * total;
    for (w, v) in table {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    table[table.len() - 1].1
}
