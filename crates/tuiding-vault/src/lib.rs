//! # tuiding-vault
//!
//! The evidence vault. Files are stored by content (named by their SHA-256, also digested
//! with SM3, GB/T 32905), once however often they are added. An append-only journal records
//! every addition — capture time, original name, size, media type, kind, case and step —
//! each entry holding the previous entry's hash, so that an edited, removed or reordered
//! entry breaks the chain. [`Vault::verify`] re-hashes every object and walks the chain.
//!
//! Writes are atomic: an object is written to a temporary file, flushed to disk and
//! renamed into place before its journal entry is appended (one write, flushed), so an
//! interrupted addition leaves neither a half-written object nor an entry without its
//! object. [`dossier`] packs a case into a verifiable zip; [`mask`] hides ID, card and
//! phone numbers in text tuiding writes. [`EvidenceText`] is the text read from an image,
//! kept masked beside the objects (`text/<sha256>.json`), outside the chain.

pub mod digest;
pub mod dossier;
mod journal;
pub mod leftovers;
pub mod mask;
mod text;
mod vault;
mod verify;

pub use journal::Entry;
pub use text::{EvidenceText, TextLine};
pub use vault::{AddMeta, Problem, Vault, VaultError, VerifyReport};
pub use verify::VerifiedObjects;
