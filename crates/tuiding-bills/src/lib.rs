//! # tuiding-bills
//!
//! Bill parsers (Alipay, WeChat Pay, bank exports) → normalised transactions, and recurring-stream detection (issue 4).
//!
//! This crate marks the boundary laid out in DESIGN.md and ARCHITECTURE.md; it holds no
//! code yet. It may depend on `tuiding-core` only.
