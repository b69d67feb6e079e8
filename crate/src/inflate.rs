//! A small DEFLATE decoder (RFC 1951, raw stream) for the embedded rules.
//!
//! `build.rs` compresses the rules JSON with miniz_oxide; this reads it back. Rules are most of
//! the wasm module's bytes as plain text (about 4 to 1 compressed), and a decoder this size
//! costs far less than it saves. Canonical Huffman codes are decoded bit by bit (the "tinf"
//! way): slow per symbol, tiny in code, and well under a millisecond for the rules.

#[allow(unused_imports)]
use crate::prelude::*;

/// Why a stream could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InflateError(pub &'static str);

/// Largest output accepted (the rules are far smaller; a corrupt stream stops here).
pub const MAX_OUTPUT: usize = 4 << 20;

struct Bits<'a> {
    data: &'a [u8],
    pos: usize, // in bits
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, InflateError> {
        let byte = self
            .data
            .get(self.pos >> 3)
            .ok_or(InflateError("unexpected end of data"))?;
        let b = (byte >> (self.pos & 7)) & 1;
        self.pos += 1;
        Ok(u32::from(b))
    }

    /// `n` bits, least significant first.
    fn bits(&mut self, n: u32) -> Result<u32, InflateError> {
        let mut v = 0;
        for i in 0..n {
            v |= self.bit()? << i;
        }
        Ok(v)
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, InflateError> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        // over-subscribed codes are corrupt (incomplete ones are allowed, as zlib does)
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(InflateError("bad code lengths"));
            }
        }
        let mut offs = [0u16; 16];
        for l in 1..16 {
            offs[l] = offs[l - 1] + counts[l - 1];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let o = &mut offs[usize::from(l)];
                symbols[usize::from(*o)] = sym as u16;
                *o += 1;
            }
        }
        Ok(Huffman { counts, symbols })
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<u16, InflateError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.counts[1..] {
            code |= bits.bit()? as i32;
            let count = i32::from(count);
            if code - first < count {
                let at = usize::try_from(index + code - first).unwrap_or(usize::MAX);
                return self
                    .symbols
                    .get(at)
                    .copied()
                    .ok_or(InflateError("bad code"));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError("bad code"))
    }
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Order in which code length code lengths are stored.
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

fn fixed() -> Result<(Huffman, Huffman), InflateError> {
    let mut l = [0u8; 288];
    l[..144].fill(8);
    l[144..256].fill(9);
    l[256..280].fill(7);
    l[280..].fill(8);
    Ok((Huffman::new(&l)?, Huffman::new(&[5u8; 30])?))
}

fn dynamic(bits: &mut Bits<'_>) -> Result<(Huffman, Huffman), InflateError> {
    let hlit = bits.bits(5)? as usize + 257;
    let hdist = bits.bits(5)? as usize + 1;
    let hclen = bits.bits(4)? as usize + 4;
    if hlit > 286 || hdist > 30 {
        return Err(InflateError("bad block header"));
    }
    let mut cl = [0u8; 19];
    for &i in CL_ORDER.iter().take(hclen) {
        cl[i] = bits.bits(3)? as u8;
    }
    let clh = Huffman::new(&cl)?;
    let mut lengths = vec![0u8; hlit + hdist];
    let mut i = 0;
    while i < lengths.len() {
        let sym = clh.decode(bits)?;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                let prev = *lengths
                    .get(i.wrapping_sub(1))
                    .ok_or(InflateError("repeat with no previous length"))?;
                (prev, 3 + bits.bits(2)? as usize)
            }
            17 => (0, 3 + bits.bits(3)? as usize),
            _ => (0, 11 + bits.bits(7)? as usize),
        };
        let end = i + repeat;
        lengths
            .get_mut(i..end)
            .ok_or(InflateError("too many code lengths"))?
            .fill(value);
        i = end;
    }
    let (lit, dist) = lengths.split_at(hlit);
    Ok((Huffman::new(lit)?, Huffman::new(dist)?))
}

/// Decodes a raw DEFLATE stream.
pub fn inflate(data: &[u8]) -> Result<Vec<u8>, InflateError> {
    let mut bits = Bits { data, pos: 0 };
    let mut out: Vec<u8> = Vec::with_capacity(data.len() * 4);
    loop {
        let last = bits.bit()? == 1;
        match bits.bits(2)? {
            0 => {
                bits.pos = (bits.pos + 7) & !7;
                let at = bits.pos >> 3;
                let header = data
                    .get(at..at + 4)
                    .ok_or(InflateError("unexpected end of data"))?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                let nlen = u16::from_le_bytes([header[2], header[3]]);
                if nlen != !(len as u16) {
                    return Err(InflateError("bad stored block length"));
                }
                let block = data
                    .get(at + 4..at + 4 + len)
                    .ok_or(InflateError("unexpected end of data"))?;
                out.extend_from_slice(block);
                bits.pos = (at + 4 + len) << 3;
            }
            kind @ (1 | 2) => {
                let (lit, dist) = if kind == 1 {
                    fixed()?
                } else {
                    dynamic(&mut bits)?
                };
                loop {
                    let sym = usize::from(lit.decode(&mut bits)?);
                    if sym < 256 {
                        out.push(sym as u8);
                    } else if sym == 256 {
                        break;
                    } else {
                        let s = sym - 257;
                        let (&base, &extra) = LEN_BASE
                            .get(s)
                            .zip(LEN_EXTRA.get(s))
                            .ok_or(InflateError("bad length code"))?;
                        let len = usize::from(base) + bits.bits(u32::from(extra))? as usize;
                        let d = usize::from(dist.decode(&mut bits)?);
                        let (&base, &extra) = DIST_BASE
                            .get(d)
                            .zip(DIST_EXTRA.get(d))
                            .ok_or(InflateError("bad distance code"))?;
                        let back = usize::from(base) + bits.bits(u32::from(extra))? as usize;
                        if back > out.len() {
                            return Err(InflateError("distance too far back"));
                        }
                        let from = out.len() - back;
                        for k in 0..len {
                            out.push(out[from + k]);
                        }
                    }
                    if out.len() > MAX_OUTPUT {
                        return Err(InflateError("output too large"));
                    }
                }
            }
            _ => return Err(InflateError("bad block type")),
        }
        if out.len() > MAX_OUTPUT {
            return Err(InflateError("output too large"));
        }
        if last {
            return Ok(out);
        }
    }
}
