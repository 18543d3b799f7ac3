//! A policy draft (the TOML of `docs/policy.md`) from a reading: every field the reader
//! could fill carries its `source` sentence and `confidence`; the ones it could not are
//! left as comments that say so.

use std::fmt::Write;

use serde_json::Value;

use tuiding_core::policy_form::toml_string;

use crate::{Finding, Reading};

impl Reading {
    /// The policy draft as TOML. It always parses as a policy; a method whose number the
    /// text does not give (a consumed-days fee without its ratio) is written with a comment
    /// that names the missing number, which the rule check then asks for.
    pub fn policy_toml(&self, source_name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Policy drafted by `tuiding terms read` from {source_name}."
        );
        let _ = writeln!(
            out,
            "# 由条款阅读器根据协议生成：请对照每项的 source 原文核对后再使用。"
        );
        let _ = writeln!(
            out,
            "# Check each value against its quoted source before relying on it.\n"
        );
        self.plan_section(&mut out);
        out.push_str("[refund]\n");
        let method = self.best("refund_method");
        match method {
            Some(f) => {
                let m = f.value.as_str().unwrap_or("none");
                let _ = writeln!(out, "method = {}", sourced(&Value::String(m.into()), f));
                let others: Vec<&Finding> = self
                    .fields
                    .get("other_readings")
                    .map(|l| l.iter().filter(|o| o.value.as_str() != Some(m)).collect())
                    .unwrap_or_default();
                if let Some(first) = others.first() {
                    let mut names: Vec<Value> = Vec::new();
                    for o in &others {
                        if !names.contains(&o.value) {
                            names.push(o.value.clone());
                        }
                    }
                    let _ = writeln!(
                        out,
                        "# the same clause also reads as {}: the rule check shows each and claims the one that favours you (民法典第四百九十八条)",
                        names
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let _ = writeln!(
                        out,
                        "other_readings = {}",
                        sourced(&Value::Array(names), first)
                    );
                }
                let ratio = self.best("discount_ratio");
                let wants_ratio = m == "consumed_days_fee"
                    || others.iter().any(|o| o.value == "consumed_days_fee");
                match ratio {
                    Some(r) if wants_ratio => {
                        let _ = writeln!(out, "discount_ratio = {}", sourced(&r.value, r));
                    }
                    None if wants_ratio => out.push_str(
                        "# discount_ratio: 折扣比例未写明 (not stated): give it with --set refund.discount_ratio=0.9\n",
                    ),
                    _ => {}
                }
                if m == "used_months_at_list_price" {
                    out.push_str(
                        "# list_price_per_month: 单月原价未写明 (not stated): give it with --set refund.list_price_per_month=25.00\n",
                    );
                }
            }
            None => out.push_str("# method: not found (look for 退款 / 不予退还 / refund)\n"),
        }
        match self.best("redeemed_benefits") {
            Some(f) => {
                let _ = writeln!(out, "redeemed_benefits = {}", sourced(&f.value, f));
            }
            None => out.push_str("# redeemed_benefits: not stated\n"),
        }
        match self.best("voids_unredeemed_benefits") {
            Some(f) => {
                let _ = writeln!(out, "voids_unredeemed_benefits = {}", sourced(&f.value, f));
            }
            None => out.push_str("# voids_unredeemed_benefits: not stated\n"),
        }
        out.push_str("# rounding: not stated; the rule check assumes \"down\"\n");
        match self.best("cooling_off_days") {
            Some(f) => {
                let _ = writeln!(out, "cooling_off_days = {}", sourced(&f.value, f));
            }
            None => out.push_str("# cooling_off_days: not stated\n"),
        }
        match self.best("handling_fee") {
            Some(f) if f.value.get("percent").is_some() => {
                let percent = f.value["percent"].as_str().unwrap_or("0");
                let _ = writeln!(
                    out,
                    "handling_fee_percent = {}",
                    sourced(&Value::String(percent.into()), f)
                );
            }
            Some(f) => {
                let amount = f.value["amount"].as_str().unwrap_or("0");
                let _ = writeln!(
                    out,
                    "handling_fee = {}",
                    sourced(&Value::String(amount.into()), f)
                );
            }
            None => out.push_str("# handling_fee: none stated\n"),
        }
        out.push_str("\n[timing]\n");
        match self.best("refund_working_days") {
            Some(f) => {
                let _ = writeln!(out, "refund_working_days = {}", sourced(&f.value, f));
            }
            None => out.push_str("# refund_working_days: not stated (common: [1, 3] or [3, 7])\n"),
        }
        out.push_str("# refund_max_days: not stated\n");
        match self.best("cancel_cutoff_hours").or(self
            .best("charge_timing")
            .filter(|f| f.value["hours_before_end"].as_u64().is_some_and(|h| h > 0)))
        {
            Some(f) => {
                let hours = f
                    .value
                    .get("hours_before_end")
                    .cloned()
                    .unwrap_or_else(|| f.value.clone());
                let _ = writeln!(out, "cancel_cutoff_hours = {}", sourced(&hours, f));
            }
            None => out.push_str("# cancel_cutoff_hours: not stated\n"),
        }
        match self
            .fields
            .get("renewal_reminder")
            .and_then(|l| l.iter().find(|f| f.value["days_before"].is_u64()))
        {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "renewal_reminder_days = {}",
                    sourced(&f.value["days_before"], f)
                );
            }
            None => {
                out.push_str("# renewal_reminder_days: no day count stated (the rules ask for 5)\n")
            }
        }
        out
    }

    /// The policy keys the drafted method needs but the text does not give (e.g.
    /// `refund.discount_ratio` when the agreement names a consumed-days fee without its ratio).
    pub fn missing_numbers(&self) -> Vec<&'static str> {
        tuiding_core::policy::Policy::from_toml(&self.policy_toml(""))
            .map(|p| p.missing_numbers())
            .unwrap_or_default()
    }

    fn plan_section(&self, out: &mut String) {
        let cycle = self.best("renewal_cycle").and_then(|f| f.value.as_str());
        let price = self.best("renewal_price");
        if cycle.is_none() && price.is_none() {
            return;
        }
        out.push_str("[plan]\n");
        if let Some(cycle) = cycle {
            let period = if cycle == "half_year" {
                "half-year"
            } else {
                cycle
            };
            let _ = writeln!(out, "billing = \"periodic\"\nperiod = \"{period}\"");
        }
        if let Some(f) = price
            && let Some(amount) = f.value["amount"].as_str()
        {
            let _ = writeln!(out, "price = \"{amount}\"");
            if let Some(currency) = f.value["currency"].as_str() {
                let _ = writeln!(out, "currency = \"{currency}\"");
            }
        }
        out.push('\n');
    }

    fn best(&self, field: &str) -> Option<&Finding> {
        self.fields
            .get(field)?
            .iter()
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    }
}

fn sourced(value: &Value, f: &Finding) -> String {
    format!(
        "{{ value = {}, source = {}, confidence = {} }}",
        toml_value(value),
        toml_string(&one_line(&f.quote)),
        f.confidence
    )
}

fn toml_value(value: &Value) -> String {
    match value {
        Value::String(s) => toml_string(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
