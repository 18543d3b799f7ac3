//! The membership flags shared by `add` and `edit`. They fill the application's one
//! [`MembershipInput`] directly (as the web's forms and JSON do): each flag is declared
//! here once, by the input field it sets, with its help text, and the parsed flags become
//! the input through serde, so the field set itself exists only in `tuiding-app`.

use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use serde_json::{Map, Value};
use tuiding_app::memberships::input::MembershipInput;

/// What a flag holds.
#[derive(Clone, Copy)]
enum Holds {
    Text,
    Switch,
    Many,
    Days,
}

/// One flag: the input field it fills, its name on the command line, what it holds, its
/// value's name, its help (zh / en), and the flags it excludes.
struct Flag {
    field: &'static str,
    long: &'static str,
    holds: Holds,
    value: &'static str,
    help: &'static str,
    excludes: &'static [&'static str],
}

const FLAGS: &[Flag] = &[
    Flag {
        field: "platform",
        long: "platform",
        holds: Holds::Text,
        value: "PLATFORM",
        help: "平台 / Platform or brand, e.g. 爱奇艺",
        excludes: &[],
    },
    Flag {
        field: "plan",
        long: "plan",
        holds: Holds::Text,
        value: "PLAN",
        help: "套餐 / Plan, e.g. 黄金VIP连续包月",
        excludes: &[],
    },
    Flag {
        field: "period",
        long: "period",
        holds: Holds::Text,
        value: "PERIOD",
        help: "计费周期 / Billing period: week, month, quarter, half-year, year, or 30d, 2w, 2m, 2y",
        excludes: &["one_time", "gifted"],
    },
    Flag {
        field: "one_time",
        long: "one-time",
        holds: Holds::Switch,
        value: "",
        help: "一次性买断（不续费）/ A one-time buy-out (does not renew)",
        excludes: &["gifted"],
    },
    Flag {
        field: "gifted",
        long: "gifted",
        holds: Holds::Switch,
        value: "",
        help: "赠送或活动会员 / A gifted or promotional membership",
        excludes: &[],
    },
    Flag {
        field: "price",
        long: "price",
        holds: Holds::Text,
        value: "AMOUNT",
        help: "价格 / Price per period (or paid once): 25, 25.00, ¥25, 25元, $9.99",
        excludes: &[],
    },
    Flag {
        field: "currency",
        long: "currency",
        holds: Holds::Text,
        value: "CODE",
        help: "币种 / ISO 4217 currency when the price names none [default: CNY]",
        excludes: &[],
    },
    Flag {
        field: "start",
        long: "start",
        holds: Holds::Text,
        value: "DATE",
        help: "开始日期（首个付费周期第一天）/ First day of the first paid period [default: today]",
        excludes: &[],
    },
    Flag {
        field: "paid_through",
        long: "paid-through",
        holds: Holds::Text,
        value: "DATE",
        help: "已付费至（含当天）/ Last day already paid for (inclusive)",
        excludes: &[],
    },
    Flag {
        field: "trial_until",
        long: "trial-until",
        holds: Holds::Text,
        value: "DATE",
        help: "试用至：这天转正并按 --price 首次扣费 / The day a trial converts: the first charge at --price",
        excludes: &["trial_days"],
    },
    Flag {
        field: "trial_days",
        long: "trial-days",
        holds: Holds::Days,
        value: "DAYS",
        help: "试用天数（从 --start 算起）/ Trial length in days from --start; the first charge follows it",
        excludes: &[],
    },
    Flag {
        field: "auto_renew",
        long: "auto-renew",
        holds: Holds::Many,
        value: "CHANNEL[:STATUS[:DATE]]",
        help: "自动续费渠道 / Where auto-renewal is contracted: CHANNEL[:active|unknown|closed[:DATE]]; channels: in_app, wechat_pay, alipay, app_store, google_play, huawei, carrier, bank_card, other",
        excludes: &[],
    },
    Flag {
        field: "benefits",
        long: "benefit",
        holds: Holds::Many,
        value: "SPEC",
        help: "权益 / A benefit: NAME:QUANTITY[:UNIT_VALUE[:REDEEMED]], e.g. 观影券:4:15:1",
        excludes: &[],
    },
    Flag {
        field: "category",
        long: "category",
        holds: Holds::Text,
        value: "CATEGORY",
        help: "类别 / Category, e.g. 视频, 音乐, 网盘",
        excludes: &[],
    },
    Flag {
        field: "notes",
        long: "notes",
        holds: Holds::Text,
        value: "NOTES",
        help: "备注 / Notes",
        excludes: &[],
    },
];

/// The flags that describe a membership, as the application's input.
#[derive(Debug, Default, Clone)]
pub struct MembershipFields(pub MembershipInput);

impl MembershipFields {
    /// The flags as the application's input.
    pub fn to_input(&self) -> MembershipInput {
        self.0.clone()
    }
}

impl FromArgMatches for MembershipFields {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut fields = Map::new();
        for flag in FLAGS {
            let value = match flag.holds {
                Holds::Text => matches
                    .get_one::<String>(flag.field)
                    .map(|v| Value::from(v.as_str())),
                Holds::Switch => Some(Value::from(matches.get_flag(flag.field))),
                Holds::Many => matches
                    .get_many::<String>(flag.field)
                    .map(|v| Value::from(v.cloned().collect::<Vec<_>>())),
                Holds::Days => matches.get_one::<u32>(flag.field).map(|d| Value::from(*d)),
            };
            if let Some(value) = value {
                fields.insert(flag.field.to_string(), value);
            }
        }
        serde_json::from_value(Value::Object(fields))
            .map(MembershipFields)
            .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ValueValidation, e))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = MembershipFields::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for MembershipFields {
    fn augment_args(mut cmd: Command) -> Command {
        for (order, flag) in FLAGS.iter().enumerate() {
            let mut arg = Arg::new(flag.field)
                .long(flag.long)
                .help(flag.help)
                .display_order(order);
            arg = match flag.holds {
                Holds::Text => arg
                    .value_name(flag.value)
                    .action(ArgAction::Set)
                    // A negative price must reach the check that explains it.
                    .allow_hyphen_values(flag.field == "price"),
                Holds::Switch => arg.action(ArgAction::SetTrue),
                Holds::Many => arg.value_name(flag.value).action(ArgAction::Append),
                Holds::Days => arg
                    .value_name(flag.value)
                    .action(ArgAction::Set)
                    .value_parser(
                        clap::value_parser!(u32)
                            .range(0..=i64::from(tuiding_core::bounds::MAX_DAYS)),
                    ),
            };
            if !flag.excludes.is_empty() {
                arg = arg.conflicts_with_all(flag.excludes);
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        MembershipFields::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        fields: MembershipFields,
    }

    #[test]
    fn every_flag_fills_its_field_of_the_one_input() {
        let probe = Probe::try_parse_from([
            "probe",
            "--platform",
            "爱奇艺",
            "--period",
            "month",
            "--price",
            "-3",
            "--trial-days",
            "7",
            "--auto-renew",
            "alipay",
            "--auto-renew",
            "in_app:closed:2026-03-01",
            "--benefit",
            "观影券:4:15:1",
            "--paid-through",
            "none",
        ])
        .unwrap();
        let input = probe.fields.to_input();
        assert_eq!(input.platform.as_deref(), Some("爱奇艺"));
        assert_eq!(input.price.as_deref(), Some("-3"));
        assert_eq!(input.trial_days, Some(7));
        assert_eq!(input.auto_renew, ["alipay", "in_app:closed:2026-03-01"]);
        assert_eq!(input.benefits, ["观影券:4:15:1"]);
        assert_eq!(input.paid_through.as_deref(), Some("none"));
        assert!(!input.one_time && !input.gifted);
        // Every field of the input has its flag: a new field cannot be forgotten here.
        let known = serde_json::to_value(MembershipInput::default()).unwrap();
        for field in known.as_object().unwrap().keys() {
            assert!(
                FLAGS.iter().any(|f| f.field == field),
                "no flag fills `{field}`"
            );
        }
        assert!(Probe::try_parse_from(["probe", "--period", "month", "--one-time"]).is_err());
        assert!(Probe::try_parse_from(["probe", "--trial-days", "99999999"]).is_err());
    }
}
