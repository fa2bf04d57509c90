//! The desktop app driven headless with `egui_kittest`, by accessible name, as a user (or a screen reader) would: layouts, languages, charts, and what the app sends judged by the servers' own records.
//!
//! One test binary for many files (each a module): linking pushlab and its dependencies once
//! instead of once a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod gui_batch;
mod gui_batch_volume;
mod gui_channels;
mod gui_charts;
mod gui_chinese;
mod gui_credentials;
mod gui_doctor;
mod gui_doctor_causes;
mod gui_idle;
mod gui_languages;
mod gui_launch;
mod gui_layout;
mod gui_live_activity;
mod gui_live_activity_routes;
mod gui_proxy;
mod gui_push;
mod gui_route_truth;
mod gui_sim_api;
mod gui_sim_restart;
mod gui_small_things;
mod gui_test_key;
mod i18n_messages;
mod secrets_audit;
