//! Shared words of the analysis, below every room: what all of them may use and none owns.
//! Today the fast hash of the maps rebuilt on every keystroke; the ids of items are to come here.

/// A fast hash (FxHash's multiply-rotate, eight bytes at a time): the cache hashes every
/// function's text on every keystroke, where SipHash costs more than the rest of the lookup.
#[derive(Default)]
pub(crate) struct FxHasher(pub(crate) u64);

/// `HashMap`s keyed by `FxHasher`, for keys hashed on every keystroke.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        // Long texts (whole items, on every keystroke) go 32 bytes at a time in four independent
        // lanes, which the processor runs side by side.
        let mut blocks = bytes.chunks_exact(32);
        if bytes.len() >= 64 {
            let mut lanes = [self.0, K, K.rotate_left(17), K.rotate_left(41)];
            for block in &mut blocks {
                for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                    let w = u64::from_le_bytes(w.try_into().unwrap());
                    *lane = (lane.rotate_left(5) ^ w).wrapping_mul(K);
                }
            }
            self.0 = lanes
                .iter()
                .fold(0, |acc: u64, &l| (acc.rotate_left(5) ^ l).wrapping_mul(K));
        }
        let bytes = if bytes.len() >= 64 {
            blocks.remainder()
        } else {
            bytes
        };
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap());
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
}

/// A small deterministic random sequence (a linear congruential generator) from `seed`, for
/// the tests that edit corpus programs at random places.
#[cfg(test)]
pub(crate) fn test_random(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    }
}

/// The `.rs` files of the shared corpora beside the repository (`../shared/corpus`), sorted;
/// none when they are not there. For the tests that run over every corpus program.
#[cfg(test)]
pub(crate) fn corpus_files() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        &mut out,
    );
    out.sort();
    out
}
