//! # tuiding-app
//!
//! The operations behind every command of tuiding (退订), and their views. Flags and form
//! fields become validated domain values here (`input`, `cmd::fields`), the crates below
//! (`tuiding-core`, `-store`, `-bills`, `-terms`, `-vault`) do the work, and each operation
//! returns a view that the CLI prints as text or JSON (`output`) and the web app
//! (`tuiding-web`) renders as a page or an API response. Neither front end holds logic the
//! other lacks: both call these functions.
//!
//! It reads the clock once ([`clock`]) and leaves printing errors to its callers.

#![allow(missing_docs)] // internal to the workspace; modules and non-obvious items carry docs

pub mod cli;
pub mod clock;
pub mod cmd;
pub mod context;
pub mod error;
pub mod input;
pub mod output;
pub mod prompt;
pub mod view;
