//! The server's secret keys: one for the keyed hash of addresses, one for link secrets.

use crate::domain::{
    ConfirmationSecret, Email, LinkNonce, LinkToken, MailboxKey, OrganisationId, SignerKey,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Keyring {
    signer: [u8; 32],
    link: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
#[error("the secret key must be at least 32 bytes, written as hex")]
pub struct KeyringError;

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

impl Keyring {
    /// Derives both keys from one master secret, so deployments manage a single secret.
    pub fn from_master(master: &[u8]) -> Result<Self, KeyringError> {
        if master.len() < 32 {
            return Err(KeyringError);
        }
        Ok(Self {
            signer: mac(master, &[b"people-first signer key"]),
            link: mac(master, &[b"people-first link key"]),
        })
    }

    /// A fresh random master secret, as hex.
    pub fn new_master_hex() -> String {
        crate::domain::hex(&rand::random::<[u8; 32]>())
    }

    pub fn from_hex(master: &str) -> Result<Self, KeyringError> {
        let bytes = hex::decode(master.trim()).map_err(|_| KeyringError)?;
        Self::from_master(&bytes)
    }

    pub fn signer_key(&self, email: &Email) -> SignerKey {
        SignerKey(mac(&self.signer, &[email.normalised().as_bytes()]))
    }

    /// The keys a signature of this mailbox may have been stored under before providers'
    /// families of domains were folded, where they differ (`Email::former_normal_forms`).
    pub fn former_signer_keys(&self, email: &Email) -> Vec<SignerKey> {
        email
            .former_normal_forms()
            .iter()
            .map(|former| SignerKey(mac(&self.signer, &[former.as_bytes()])))
            .collect()
    }

    /// The mailbox's key for the limit on emails a day. The prefix holds a NUL, which no parsed
    /// address has, so a mailbox key is never a signer key.
    pub fn mailbox_key(&self, email: &Email) -> MailboxKey {
        MailboxKey(mac(
            &self.signer,
            &[b"people-first mailbox\0", email.mailbox().as_bytes()],
        ))
    }

    /// The key under which emails to an organisation's contact are counted: apart from the
    /// signatures' count, so how a request is answered tells nothing about anyone's signature.
    pub fn contact_mailbox_key(&self, email: &Email) -> MailboxKey {
        MailboxKey(mac(
            &self.signer,
            &[
                b"people-first contact mailbox\0",
                email.mailbox().as_bytes(),
            ],
        ))
    }

    pub fn confirmation_secret(&self, signer: &SignerKey, nonce: &LinkNonce) -> ConfirmationSecret {
        ConfirmationSecret(mac(&self.link, &[b"confirm", &signer.0, &nonce.0]))
    }

    /// The secret of a signature's erasure link: its own, so that the link keeps working after
    /// the confirmation link is renewed or used, and dies with the signature's nonce.
    pub fn erasure_secret(&self, signer: &SignerKey, nonce: &LinkNonce) -> ConfirmationSecret {
        ConfirmationSecret(mac(&self.link, &[b"erase", &signer.0, &nonce.0]))
    }

    pub fn erasure_token(&self, signer: &SignerKey, nonce: &LinkNonce) -> LinkToken {
        LinkToken {
            signer: *signer,
            secret: self.erasure_secret(signer, nonce),
        }
    }

    /// The secret of an organisation contact's link: apart from every signature's, by its
    /// prefix and by the organisation's id, which is never a signer's key.
    pub fn contact_secret(
        &self,
        organisation: &OrganisationId,
        nonce: &LinkNonce,
    ) -> ConfirmationSecret {
        ConfirmationSecret(mac(
            &self.link,
            &[
                b"contact\0",
                organisation.as_str().as_bytes(),
                b"\0",
                &nonce.0,
            ],
        ))
    }

    pub fn confirmation_token(&self, signer: &SignerKey, nonce: &LinkNonce) -> LinkToken {
        LinkToken {
            signer: *signer,
            secret: self.confirmation_secret(signer, nonce),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_address_in_another_case_is_the_same_signer() {
        let keyring = Keyring::from_master(&[3; 32]).unwrap();
        let a = keyring.signer_key(&Email::parse("Olena@Example.org").unwrap());
        let b = keyring.signer_key(&Email::parse("olena@example.org").unwrap());
        assert_eq!(a, b);
        let other = Keyring::from_master(&[4; 32]).unwrap();
        assert_ne!(
            a,
            other.signer_key(&Email::parse("olena@example.org").unwrap())
        );
    }

    #[test]
    fn a_short_master_key_is_refused() {
        assert!(Keyring::from_master(&[1; 16]).is_err());
        assert!(Keyring::from_hex("zz").is_err());
        assert!(Keyring::from_hex(&"ab".repeat(32)).is_ok());
    }

    #[test]
    fn a_master_key_that_is_not_plain_hex_is_refused() {
        // `from_str_radix` read "+a" as a byte: a key with a sign in it was taken.
        assert!(Keyring::from_hex(&format!("+a{}", "ab".repeat(31))).is_err());
        assert!(Keyring::from_hex(&format!("{}a", "ab".repeat(32))).is_err());
        assert!(Keyring::from_hex(&format!(" {} \n", "AB".repeat(32))).is_ok());
    }
}
