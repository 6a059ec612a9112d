//! The work a browser does for one address before it signs: a nonce that makes the SHA-256 of
//! the address, as the form sends it, start with enough zero bits. The page's script finds one
//! while the person fills in the rest of the form (a second or two on a phone); a bot that does
//! not run the page, or sends many addresses, pays for each one. It is first-party: no third
//! party sees who signs. A signature, or an organisation's request, with this proof is mailed
//! first when the mail path is under attack; one without (a browser without JavaScript) is
//! taken all the same.

use sha2::{Digest, Sha256};

/// The zero bits a proof needs: about 65,000 hashes on average.
pub const PROOF_BITS: u32 = 16;

/// What the hash starts with, so no other hash of this site's is a proof.
const PREFIX: &[u8] = b"people-first proof\0";

/// Whether `nonce` proves the work for `email`, byte for byte as the form sent it.
pub fn proves(email: &str, nonce: &str) -> bool {
    let digits =
        !nonce.is_empty() && nonce.len() <= 20 && nonce.bytes().all(|b| b.is_ascii_digit());
    digits && leading_zero_bits(&hash(email, nonce)) >= PROOF_BITS
}

fn hash(email: &str, nonce: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(PREFIX)
        .chain_update(email.as_bytes())
        .chain_update(b"\0")
        .chain_update(nonce.as_bytes())
        .finalize()
        .into()
}

fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        bits += byte.leading_zeros();
        if *byte != 0 {
            break;
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the page's script does: count until a hash has the zero bits.
    fn work(email: &str) -> String {
        (0..u64::MAX)
            .map(|n| n.to_string())
            .find(|n| leading_zero_bits(&hash(email, n)) >= PROOF_BITS)
            .unwrap()
    }

    #[test]
    fn a_proof_holds_for_its_address_only() {
        let nonce = work("olena@example.org");
        assert!(proves("olena@example.org", &nonce));
        assert!(!proves("olena@example.com", &nonce));
        assert!(!proves("Olena@example.org", &nonce), "byte for byte");
        assert!(!proves("olena@example.org", "0"));
        assert!(!proves("olena@example.org", &format!("{nonce} ")));
        assert!(!proves("olena@example.org", ""));
    }

    #[test]
    fn the_zero_bits_are_counted_across_bytes() {
        assert_eq!(leading_zero_bits(&[0, 0, 0x80]), 16);
        assert_eq!(leading_zero_bits(&[0, 0x01]), 15);
        assert_eq!(leading_zero_bits(&[0xff]), 0);
    }

    /// The page's script hashes the same bytes: this nonce is what it finds for this address
    /// (tests/e2e checks the script against it).
    #[test]
    fn the_first_proof_of_a_known_address_is_known() {
        assert_eq!(work("proof@example.org"), KNOWN_PROOF);
    }

    const KNOWN_PROOF: &str = "45289";
}
