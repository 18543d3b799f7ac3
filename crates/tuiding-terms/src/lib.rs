//! # tuiding-terms
//!
//! The clause reader: membership agreement text → a policy draft with the quoted source sentence for every field, and the disclosure check (issue 5).
//!
//! This crate marks the boundary laid out in DESIGN.md and ARCHITECTURE.md; it holds no
//! code yet. It may depend on `tuiding-core` only.
