//! SHA-256 and SM3 (GB/T 32905) digests, as lower-case hex.

use sha2::Digest as _;

/// Both digests of `bytes`.
pub fn digests(bytes: &[u8]) -> (String, String) {
    (sha256_hex(bytes), sm3_hex(bytes))
}

/// Both digests and the length of everything `reader` yields, read in 64 KiB pieces so a
/// file of any size takes constant memory.
pub fn digests_of(mut reader: impl std::io::Read) -> std::io::Result<(String, String, u64)> {
    let mut sha = sha2::Sha256::new();
    let mut sm = sm3::Sm3::new();
    let mut buf = vec![0_u8; 1 << 16];
    let mut len = 0_u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha.update(&buf[..n]);
        sm.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex(&sha.finalize()), hex(&sm.finalize()), len))
}

/// SHA-256 as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

/// SM3 as hex.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex(&sm3::Sm3::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_digests_equal_whole_ones() {
        let bytes: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
        let (sha, sm, len) = digests_of(&bytes[..]).unwrap();
        assert_eq!((sha, sm), digests(&bytes));
        assert_eq!(len, 200_000);
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // GB/T 32905-2016, example 1.
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }
}
