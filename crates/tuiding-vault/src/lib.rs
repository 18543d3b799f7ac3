//! # tuiding-vault
//!
//! The evidence vault: content-addressed files with SHA-256 and SM3 digests, a hash-chained journal, verification, dossier export and masking (issue 6).
//!
//! This crate marks the boundary laid out in DESIGN.md and ARCHITECTURE.md; it holds no
//! code yet. It may depend on `tuiding-core` only.
