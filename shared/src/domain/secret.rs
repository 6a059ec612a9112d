use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::InputError;

pub(crate) fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn unhex<const N: usize>(raw: &str) -> Result<[u8; N], InputError> {
    let mut out = [0u8; N];
    hex::decode_to_slice(raw, &mut out).map_err(|_| InputError::Invalid)?;
    Ok(out)
}

macro_rules! hex_bytes {
    ($name:ident, $len:expr) => {
        impl $name {
            pub fn to_hex(&self) -> String {
                hex(&self.0)
            }

            pub fn from_hex(raw: &str) -> Result<Self, InputError> {
                unhex::<$len>(raw).map(Self)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InputError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::from_hex(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.to_hex()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

/// Identifies a signer: a keyed hash of the normalised address, so the table never needs the
/// address to find a signature and a leaked table does not reveal who signed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SignerKey(pub(crate) [u8; 32]);
hex_bytes!(SignerKey, 32);

/// Identifies a mailbox for the limit on emails a day: a keyed hash of the address with any
/// `+tag` folded, whatever the provider. Kept a day, never with a signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MailboxKey(pub(crate) [u8; 32]);
hex_bytes!(MailboxKey, 32);

/// Random per link; with the link key it re-creates the link's secret, so the secret itself is
/// never stored and the mailer can still write it into the email.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LinkNonce(pub(crate) [u8; 16]);
hex_bytes!(LinkNonce, 16);

impl LinkNonce {
    pub fn random() -> Self {
        Self(rand::random())
    }
}

/// The 256-bit secret of a confirmation link.
#[derive(Clone, Copy)]
pub struct ConfirmationSecret(pub(crate) [u8; 32]);

impl ConfirmationSecret {
    pub fn hash(&self) -> SecretHash {
        SecretHash(Sha256::digest(self.0).into())
    }
}

impl std::fmt::Debug for ConfirmationSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmationSecret(..)")
    }
}

/// What the table keeps of a secret.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecretHash(pub(crate) [u8; 32]);
hex_bytes!(SecretHash, 32);

impl SecretHash {
    /// Constant-time, so response timing tells nothing about how much of a guess was right.
    pub fn matches(&self, other: &SecretHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// A hash no secret has: for a signature stored before erasure links existed, whose link
    /// can then never match (staff can still erase it by address).
    pub(crate) fn of_nothing() -> Self {
        Self(rand::random())
    }
}

impl PartialEq for SecretHash {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

/// The `t` parameter of a link: which signature, and the secret that proves the bearer read
/// the email.
#[derive(Clone, Copy)]
pub struct LinkToken {
    pub signer: SignerKey,
    pub secret: ConfirmationSecret,
}

impl LinkToken {
    pub fn encode(&self) -> String {
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&self.signer.0);
        bytes[32..].copy_from_slice(&self.secret.0);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(InputError::Missing);
        }
        if raw.len() != 86 {
            return Err(InputError::Invalid);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| InputError::Invalid)?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| InputError::Invalid)?;
        let mut signer = [0u8; 32];
        let mut secret = [0u8; 32];
        signer.copy_from_slice(&bytes[..32]);
        secret.copy_from_slice(&bytes[32..]);
        Ok(Self {
            signer: SignerKey(signer),
            secret: ConfirmationSecret(secret),
        })
    }
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_garbage_is_refused() {
        let token = LinkToken {
            signer: SignerKey([7; 32]),
            secret: ConfirmationSecret([9; 32]),
        };
        let parsed = LinkToken::parse(&token.encode()).unwrap();
        assert_eq!(parsed.signer, token.signer);
        assert!(parsed.secret.hash().matches(&token.secret.hash()));
        assert!(LinkToken::parse("abc").is_err());
        assert!(LinkToken::parse(&"!".repeat(86)).is_err());
        assert!(LinkToken::parse("").is_err());
    }

    #[test]
    fn hashes_of_different_secrets_differ() {
        let a = ConfirmationSecret([1; 32]).hash();
        let b = ConfirmationSecret([2; 32]).hash();
        assert!(!a.matches(&b));
        assert!(a.matches(&SecretHash::from_hex(&a.to_hex()).unwrap()));
    }
}
