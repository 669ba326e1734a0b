//! The dataflow's set: a dense bit set over locals, loans, moves or points.

/// A dense bit set. Sets of up to 512 elements (the live locals or loans of most functions, and
/// the points of a region of a function of a few hundred statements) are kept inline: the
/// dataflow clones one per program point, and a heap allocation for each was most of the
/// checker's time on long functions. (256 left a 200-line function's regions on the heap: 512
/// takes 4 % fewer instructions per keystroke in it.)
#[derive(Clone)]
pub(super) struct Bits(Words);

#[derive(Clone)]
enum Words {
    /// The first `len` words are the set's.
    Inline(u8, [u64; INLINE_WORDS]),
    Heap(Vec<u64>),
}

const INLINE_WORDS: usize = 8;

impl PartialEq for Bits {
    fn eq(&self, other: &Bits) -> bool {
        self.words() == other.words()
    }
}
impl Eq for Bits {}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Bits").field(&self.words()).finish()
    }
}

impl Bits {
    pub(super) fn new(n: usize) -> Bits {
        let len = n.div_ceil(64);
        if len <= INLINE_WORDS {
            Bits(Words::Inline(len as u8, [0; INLINE_WORDS]))
        } else {
            Bits(Words::Heap(vec![0; len]))
        }
    }
    fn words(&self) -> &[u64] {
        match &self.0 {
            Words::Inline(len, w) => &w[..*len as usize],
            Words::Heap(w) => w,
        }
    }
    fn words_mut(&mut self) -> &mut [u64] {
        match &mut self.0 {
            Words::Inline(len, w) => &mut w[..*len as usize],
            Words::Heap(w) => w,
        }
    }
    pub(super) fn full(n: usize) -> Bits {
        let mut b = Bits::new(n);
        for i in 0..n {
            b.insert(i);
        }
        b
    }
    pub(super) fn insert(&mut self, i: usize) -> bool {
        let (w, m) = (i / 64, 1u64 << (i % 64));
        let word = &mut self.words_mut()[w];
        let old = *word;
        *word |= m;
        old != *word
    }
    pub(super) fn remove(&mut self, i: usize) {
        self.words_mut()[i / 64] &= !(1u64 << (i % 64));
    }
    pub(super) fn contains(&self, i: usize) -> bool {
        self.words()[i / 64] & (1u64 << (i % 64)) != 0
    }
    pub(super) fn union(&mut self, o: &Bits) -> bool {
        let mut changed = false;
        for (a, b) in self.words_mut().iter_mut().zip(o.words()) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    pub(super) fn intersect(&mut self, o: &Bits) {
        for (a, b) in self.words_mut().iter_mut().zip(o.words()) {
            *a &= *b;
        }
    }
    /// The elements in increasing order.
    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().iter().enumerate().flat_map(|(w, &bits)| {
            let mut rest = bits;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let i = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(w * 64 + i)
            })
        })
    }
}
