//! # tuiding-web
//!
//! The local web app: axum server with HTML pages, the JSON API, the calendar feed and notifications (issue 7).
//!
//! This crate marks the boundary laid out in DESIGN.md and ARCHITECTURE.md; it holds no
//! code yet. It may depend on `tuiding-core` only (and, when built, the other library crates).
