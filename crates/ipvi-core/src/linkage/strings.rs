//! String metrics for name comparison: Jaro, Jaro-Winkler, Damerau-Levenshtein (optimal string
//! alignment) and American Soundex.
//!
//! All metrics work on bytes of normalised (upper-case ASCII) text and allocate nothing for
//! strings up to 64 bytes, so they can run inside the pair loop.

const STACK: usize = 64;

/// Jaro similarity in `[0, 1]`.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() <= STACK && b.len() <= STACK {
        let mut fa = [false; STACK];
        let mut fb = [false; STACK];
        jaro_with(a, b, &mut fa[..a.len()], &mut fb[..b.len()])
    } else {
        let mut fa = vec![false; a.len()];
        let mut fb = vec![false; b.len()];
        jaro_with(a, b, &mut fa, &mut fb)
    }
}

fn jaro_with(a: &[u8], b: &[u8], fa: &mut [bool], fb: &mut [bool]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !fb[j] && b[j] == ca {
                fa[i] = true;
                fb[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if fa[i] {
            while !fb[k] {
                k += 1;
            }
            if ca != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let t = (transpositions / 2) as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0
}

/// Jaro-Winkler similarity with prefix scale 0.1 over at most four leading characters, applied
/// when the Jaro similarity exceeds 0.7 (Winkler's boost threshold, as in DuckDB and Splink).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    if j <= 0.7 {
        return j;
    }
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
    j + prefix * 0.1 * (1.0 - j)
}

/// An upper bound of [`jaro_winkler`] that costs one pass over each string: the number of
/// matching characters is at most the size of the multiset intersection of the two strings.
/// Lets a comparison skip the exact computation when even the bound is below a threshold.
pub fn jaro_winkler_upper_bound(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    // First the bound from the lengths alone (at most min(|a|, |b|) characters match).
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
    let short = a.len().min(b.len()) as f64;
    let j0 = (short / a.len() as f64 + short / b.len() as f64 + 1.0) / 3.0;
    let bound0 = (j0 + prefix * 0.1 * (1.0 - j0)).min(1.0);
    if bound0 < 0.7 {
        return bound0;
    }
    let mut hist = [0i16; 64];
    for &c in a {
        hist[(c & 63) as usize] += 1;
    }
    let mut m = 0usize;
    for &c in b {
        let h = &mut hist[(c & 63) as usize];
        if *h > 0 {
            *h -= 1;
            m += 1;
        }
    }
    if m == 0 {
        return 0.0;
    }
    let m = m as f64;
    let j = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    (j + prefix * 0.1 * (1.0 - j)).min(1.0)
}

/// A byte string's character counts in 32 buckets (`byte & 31`, saturating at 255): computed
/// once per distinct string, so that bounds on a pair cost one pass over 32 bytes.
pub type Histogram = [u8; 32];

/// The [`Histogram`] of a string.
pub fn histogram(s: &[u8]) -> Histogram {
    let mut h = [0u8; 32];
    for &c in s {
        let b = &mut h[(c & 31) as usize];
        *b = b.saturating_add(1);
    }
    h
}

/// An upper bound of the number of characters two strings have in common (the size of the
/// multiset intersection; characters in one bucket are counted together, which can only raise
/// the bound). Written as a plain loop over 32 bytes so it compiles to a few vector operations.
#[inline(always)]
pub fn common_upper_bound(a: &Histogram, b: &Histogram) -> usize {
    let mut m = [0u8; 32];
    for ((m, x), y) in m.iter_mut().zip(a).zip(b) {
        *m = (*x).min(*y);
    }
    m.iter().map(|&x| u16::from(x)).sum::<u16>() as usize
}

/// [`jaro_winkler_upper_bound`] from the strings' histograms: at most `common` characters can
/// match (every Jaro match pairs equal characters) and no transposition is counted.
#[inline]
pub fn jaro_winkler_bound_from(a: &[u8], b: &[u8], common: usize) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    let m = common.min(a.len()).min(b.len());
    if m == 0 {
        return 0.0;
    }
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
    let m = m as f64;
    let j = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    (j + prefix * 0.1 * (1.0 - j)).min(1.0)
}

/// A lower bound of the optimal-string-alignment distance from the common characters: every
/// edit (insertion, deletion, substitution) changes the multiset intersection by at most one and
/// a transposition not at all, so at least `max(|a|, |b|) - common` edits are needed.
#[inline]
pub fn osa_lower_bound(la: usize, lb: usize, common: usize) -> usize {
    la.max(lb).saturating_sub(common)
}

/// Optimal-string-alignment distance of two equal-length digit strings (dates as `YYYYMMDD`)
/// capped at 2: 0 when equal, 1 when one digit differs or two adjacent digits are swapped,
/// otherwise 2 (an insertion needs a deletion when lengths are equal).
#[inline]
pub fn osa_same_length_upto1(a: &[u8; 8], b: &[u8; 8]) -> usize {
    let mut first = usize::MAX;
    let mut diffs = 0;
    for k in 0..8 {
        if a[k] != b[k] {
            diffs += 1;
            if first == usize::MAX {
                first = k;
            }
        }
    }
    match diffs {
        0 => 0,
        1 => 1,
        2 if first + 1 < 8 && a[first] == b[first + 1] && a[first + 1] == b[first] => 1,
        _ => 2,
    }
}

/// [`osa_distance`] capped at `bound + 1`: returns the distance when it is at most `bound`,
/// otherwise some value above `bound` (cheaply, from the length difference or a row minimum).
pub fn osa_bounded(a: &[u8], b: &[u8], bound: usize) -> usize {
    if a.len().abs_diff(b.len()) > bound {
        return bound + 1;
    }
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()).min(bound + 1);
    }
    if b.len() > STACK || bound >= 250 {
        return osa_distance(a, b).min(bound + 1);
    }
    // Banded DP on bytes: only cells within `bound` of the diagonal can hold a distance
    // within the bound; cells just outside the band are set to `big`.
    let big = (bound + 1) as u8;
    let (la, lb) = (a.len(), b.len());
    let mut rows = [[big; STACK + 2]; 3];
    let (mut p2, mut p1, mut c) = (0usize, 1usize, 2usize);
    for (j, cell) in rows[p1].iter_mut().enumerate().take(lb.min(bound) + 1) {
        *cell = j as u8;
    }
    for i in 1..=la {
        let lo = i.saturating_sub(bound).max(1);
        let hi = (i + bound).min(lb);
        rows[c][0] = i.min(bound + 1) as u8;
        rows[c][lo - 1] = if lo == 1 { rows[c][0] } else { big };
        let mut row_min = if lo == 1 { rows[c][0] } else { big };
        for j in lo..=hi {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[p1][j] + 1).min(rows[c][j - 1] + 1).min(rows[p1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[p2][j - 2] + 1);
            }
            let v = v.min(big);
            rows[c][j] = v;
            row_min = row_min.min(v);
        }
        rows[c][hi + 1] = big;
        if row_min >= big {
            return bound + 1;
        }
        (p2, p1, c) = (p1, c, p2);
    }
    usize::from(rows[p1][lb]).min(bound + 1)
}

/// Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
/// substitutions and transpositions of adjacent characters, no substring edited twice.
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let n = b.len() + 1;
    if n <= STACK + 1 {
        let mut rows = [[0usize; STACK + 1]; 3];
        let [r0, r1, r2] = &mut rows;
        osa_with(a, b, &mut r0[..n], &mut r1[..n], &mut r2[..n])
    } else {
        let (mut r0, mut r1, mut r2) = (vec![0; n], vec![0; n], vec![0; n]);
        osa_with(a, b, &mut r0, &mut r1, &mut r2)
    }
}

fn osa_with<'a>(
    a: &[u8],
    b: &[u8],
    mut prev2: &'a mut [usize],
    mut prev: &'a mut [usize],
    mut cur: &'a mut [usize],
) -> usize {
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// American Soundex (letter plus three digits, H and W transparent) packed into a `u32`
/// (four bytes, big-endian); 0 when the text has no letter.
pub fn soundex(s: &[u8]) -> u32 {
    fn code(c: u8) -> u8 {
        match c {
            b'B' | b'F' | b'P' | b'V' => b'1',
            b'C' | b'G' | b'J' | b'K' | b'Q' | b'S' | b'X' | b'Z' => b'2',
            b'D' | b'T' => b'3',
            b'L' => b'4',
            b'M' | b'N' => b'5',
            b'R' => b'6',
            b'H' | b'W' => b'h',
            _ => b'0',
        }
    }
    let mut letters = s.iter().map(u8::to_ascii_uppercase).filter(u8::is_ascii_uppercase);
    let Some(first) = letters.next() else { return 0 };
    let mut out = [first, b'0', b'0', b'0'];
    let mut n = 1;
    let mut last = code(first);
    for c in letters {
        if n == 4 {
            break;
        }
        let d = code(c);
        if d == b'h' {
            continue; // H and W do not separate equal codes
        }
        if d != b'0' && d != last {
            out[n] = d;
            n += 1;
        }
        last = d;
    }
    u32::from_be_bytes(out)
}

/// The four characters of a packed Soundex code.
pub fn soundex_text(code: u32) -> String {
    if code == 0 {
        return String::new();
    }
    String::from_utf8_lossy(&code.to_be_bytes()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.0015
    }

    #[test]
    fn jaro_winkler_textbook_values() {
        for (a, b, want) in [
            ("MARTHA", "MARHTA", 0.961),
            ("DWAYNE", "DUANE", 0.840),
            ("DIXON", "DICKSONX", 0.813),
            ("JELLYFISH", "SMELLYFISH", 0.896),
        ] {
            let got = jaro_winkler(a.as_bytes(), b.as_bytes());
            assert!(close(got, want), "{a}/{b}: {got} != {want}");
            assert!(close(jaro_winkler(b.as_bytes(), a.as_bytes()), want));
        }
        assert!(close(jaro(b"MARTHA", b"MARHTA"), 0.944));
        assert_eq!(jaro_winkler(b"", b"ABC"), 0.0);
        assert_eq!(jaro_winkler(b"ABC", b"ABC"), 1.0);
        assert_eq!(jaro(b"ABC", b"XYZ"), 0.0);
    }

    #[test]
    fn osa_known_values() {
        for (a, b, want) in [
            ("", "", 0),
            ("ABC", "", 3),
            ("KITTEN", "SITTING", 3),
            ("SMITH", "SMIHT", 1),
            ("CA", "ABC", 3), // OSA (true Damerau-Levenshtein gives 2)
            ("JOHN", "JON", 1),
            ("19580304", "19580403", 2),
        ] {
            assert_eq!(osa_distance(a.as_bytes(), b.as_bytes()), want, "{a}/{b}");
        }
        let long_a = "A".repeat(100);
        let long_b = format!("{}B", "A".repeat(99));
        assert_eq!(osa_distance(long_a.as_bytes(), long_b.as_bytes()), 1);
        assert_eq!(osa_bounded(b"SMITH", b"SMITHSONIAN", 2), 3);
        assert_eq!(osa_bounded(b"SMITH", b"SMIHT", 2), 1);
        // Bounded agrees with the full distance wherever the distance is within the bound.
        let words = [
            "SMITH", "SMIHT", "SMYTH", "SMITHE", "MITH", "JONES", "JOENS", "CA", "ABC", "", "A", "19580304",
        ];
        for a in words {
            for b in words {
                let d = osa_distance(a.as_bytes(), b.as_bytes());
                for k in 0..4 {
                    let got = osa_bounded(a.as_bytes(), b.as_bytes(), k);
                    if d <= k {
                        assert_eq!(got, d, "{a}/{b} k={k}");
                    } else {
                        assert!(got > k, "{a}/{b} k={k}");
                    }
                }
            }
        }
    }

    #[test]
    fn jaro_winkler_bound_is_an_upper_bound() {
        let words = [
            "MARTHA", "MARHTA", "DWAYNE", "DUANE", "DIXON", "DICKSONX", "SMITH", "SMYTHE", "A", "", "ZZZ",
        ];
        for a in words {
            for b in words {
                let (x, y) = (a.as_bytes(), b.as_bytes());
                assert!(jaro_winkler_upper_bound(x, y) + 1e-12 >= jaro_winkler(x, y), "{a}/{b}");
            }
        }
    }

    #[test]
    fn histogram_bounds_hold_on_random_strings() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let word = |rng: &mut rand_chacha::ChaCha8Rng| -> Vec<u8> {
            let n = rng.random_range(0..9);
            // A small alphabet (with digits and a space) so that near matches are common.
            (0..n).map(|_| b"ABCDE 0189"[rng.random_range(0..10)]).collect()
        };
        let mut tight_jw = 0;
        for _ in 0..20_000 {
            let (a, b) = (word(&mut rng), word(&mut rng));
            let common = common_upper_bound(&histogram(&a), &histogram(&b));
            let jw = jaro_winkler(&a, &b);
            let bound = jaro_winkler_bound_from(&a, &b, common);
            assert!(bound + 1e-12 >= jw, "{a:?}/{b:?}: bound {bound} < {jw}");
            if (bound - jw).abs() < 1e-9 {
                tight_jw += 1;
            }
            let d = osa_distance(&a, &b);
            assert!(osa_lower_bound(a.len(), b.len(), common) <= d, "{a:?}/{b:?}");
        }
        // The bound is not trivially 1: it is exact on a good share of pairs.
        assert!(tight_jw > 1000, "{tight_jw}");
    }

    #[test]
    fn osa_of_dates_matches_the_full_distance() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
        for _ in 0..20_000 {
            let a: [u8; 8] = std::array::from_fn(|_| b'0' + rng.random_range(0..3));
            let mut b = a;
            for _ in 0..rng.random_range(0..3) {
                match rng.random_range(0..2) {
                    0 => b[rng.random_range(0..8)] = b'0' + rng.random_range(0..3),
                    _ => {
                        let k = rng.random_range(0..7);
                        b.swap(k, k + 1);
                    }
                }
            }
            let want = osa_distance(&a, &b).min(2);
            assert_eq!(osa_same_length_upto1(&a, &b), want, "{a:?}/{b:?}");
        }
    }

    #[test]
    fn soundex_known_values() {
        for (s, want) in [
            ("ROBERT", "R163"),
            ("RUPERT", "R163"),
            ("RUBIN", "R150"),
            ("ASHCRAFT", "A261"),
            ("TYMCZAK", "T522"),
            ("PFISTER", "P236"),
            ("LEE", "L000"),
            ("", ""),
        ] {
            assert_eq!(soundex_text(soundex(s.as_bytes())), want, "{s}");
        }
    }
}
