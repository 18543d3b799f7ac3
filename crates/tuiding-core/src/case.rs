//! A cancellation case: the state machine from opening to a refund received (or an
//! escalation), its steps, and what is due when.
//!
//! opened → rules checked → cancelled in app → every auto-renew channel closed → refund
//! requested → refund promised → refund received, or overdue → escalated → resolved;
//! closed from anywhere. Every transition is timestamped by the caller (no clock here); an
//! illegal one is refused with the reason.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::i18n::{Lang, Localized};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseState {
    /// Just opened.
    Opened,
    /// The rule check was done.
    RulesChecked,
    /// Cancelled (auto-renew turned off) in the app.
    CancelledInApp,
    /// Every auto-renew channel is closed.
    ChannelsClosed,
    /// A refund was asked for.
    RefundRequested,
    /// The platform promised a refund (amount and date).
    RefundPromised,
    /// The refund arrived.
    RefundReceived,
    /// The promised or expected refund date passed.
    Overdue,
    /// Taken further: a complaint (platform, 12315, bank).
    Escalated,
    /// Settled.
    Resolved,
    /// Closed.
    Closed,
}

impl CaseState {
    /// Every state, in order.
    pub const ALL: [CaseState; 11] = [
        CaseState::Opened,
        CaseState::RulesChecked,
        CaseState::CancelledInApp,
        CaseState::ChannelsClosed,
        CaseState::RefundRequested,
        CaseState::RefundPromised,
        CaseState::RefundReceived,
        CaseState::Overdue,
        CaseState::Escalated,
        CaseState::Resolved,
        CaseState::Closed,
    ];

    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Opened => "opened",
            CaseState::RulesChecked => "rules_checked",
            CaseState::CancelledInApp => "cancelled_in_app",
            CaseState::ChannelsClosed => "channels_closed",
            CaseState::RefundRequested => "refund_requested",
            CaseState::RefundPromised => "refund_promised",
            CaseState::RefundReceived => "refund_received",
            CaseState::Overdue => "overdue",
            CaseState::Escalated => "escalated",
            CaseState::Resolved => "resolved",
            CaseState::Closed => "closed",
        }
    }

    /// A name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseState::Opened => lang.pick("已开启", "opened"),
            CaseState::RulesChecked => lang.pick("已做规则体检", "rules checked"),
            CaseState::CancelledInApp => lang.pick("已在应用内取消", "cancelled in the app"),
            CaseState::ChannelsClosed => lang.pick("所有扣费渠道已关闭", "every channel closed"),
            CaseState::RefundRequested => lang.pick("已申请退款", "refund requested"),
            CaseState::RefundPromised => lang.pick("平台已承诺退款", "refund promised"),
            CaseState::RefundReceived => lang.pick("退款已到账", "refund received"),
            CaseState::Overdue => lang.pick("退款逾期", "refund overdue"),
            CaseState::Escalated => lang.pick("已投诉升级", "escalated"),
            CaseState::Resolved => lang.pick("已解决", "resolved"),
            CaseState::Closed => lang.pick("已结案", "closed"),
        }
    }

    /// The states this one may move to.
    pub fn next(self) -> &'static [CaseState] {
        use CaseState::*;
        match self {
            Opened => &[RulesChecked, CancelledInApp, ChannelsClosed, Closed],
            RulesChecked => &[CancelledInApp, ChannelsClosed, Closed],
            CancelledInApp => &[ChannelsClosed, Closed],
            ChannelsClosed => &[RefundRequested, Resolved, Closed],
            RefundRequested => &[RefundPromised, RefundReceived, Overdue, Escalated, Closed],
            RefundPromised => &[RefundReceived, Overdue, Escalated, Closed],
            Overdue => &[RefundPromised, RefundReceived, Escalated, Closed],
            Escalated => &[RefundPromised, RefundReceived, Resolved, Closed],
            RefundReceived => &[Resolved, Escalated, Closed],
            Resolved => &[Closed],
            Closed => &[],
        }
    }

    /// Checks a move, naming what is allowed instead.
    pub fn check(self, to: CaseState) -> Result<(), CaseError> {
        if self.next().contains(&to) {
            Ok(())
        } else {
            Err(CaseError::Illegal { from: self, to })
        }
    }
}

impl fmt::Display for CaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown case state {s:?}"))
    }
}

/// One timestamped transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// From.
    pub from: CaseState,
    /// To.
    pub to: CaseState,
    /// When.
    pub at: Timestamp,
    /// Why, in the user's words.
    pub note: Option<String>,
}

/// The day a case's membership was cancelled: the earlier of the refund request and the
/// first move past cancelling (its day in China Standard Time), when either happened. A
/// refund requested late does not move it.
pub fn cancelled_on(transitions: &[Transition], refund: &RefundTrack) -> Option<Date> {
    let zone = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8));
    let moved = transitions
        .iter()
        .find(|t| matches!(t.to, CaseState::CancelledInApp | CaseState::ChannelsClosed))
        .map(|t| zone.to_datetime(t.at).date());
    match (refund.requested_on, moved) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Why a case cannot move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseError {
    /// The move is not allowed from this state.
    Illegal {
        /// The current state.
        from: CaseState,
        /// The state asked for.
        to: CaseState,
    },
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Illegal { from, to } => {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                if allowed.is_empty() {
                    write!(f, "the case is {from}: nothing can follow")
                } else {
                    write!(
                        f,
                        "a case that is {from} cannot become {to}; it can become {}",
                        allowed.join(", ")
                    )
                }
            }
        }
    }
}

impl std::error::Error for CaseError {}

impl Localized for CaseError {
    fn is_refused(&self) -> bool {
        true
    }

    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (CaseError::Illegal { from, to }, Lang::Zh) => {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.label(Lang::Zh)).collect();
                if allowed.is_empty() {
                    format!("案件{}，不能再变更", from.label(Lang::Zh))
                } else {
                    format!(
                        "案件当前“{}”，不能变为“{}”；可以变为：{}",
                        from.label(Lang::Zh),
                        to.label(Lang::Zh),
                        allowed.join("、")
                    )
                }
            }
        }
    }
}

/// The refund as the case knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RefundTrack {
    /// The day the refund was requested.
    pub requested_on: Option<Date>,
    /// The amount promised, in minor units of the membership's currency.
    pub promised_minor: Option<i64>,
    /// The day it was promised by.
    pub promised_by: Option<Date>,
    /// The amount received.
    pub received_minor: Option<i64>,
    /// The day it arrived.
    pub received_on: Option<Date>,
}

impl RefundTrack {
    /// The day after which the refund is overdue: the promised date, else `expected`
    /// (the policy's window from the request), if any.
    pub fn due(&self, expected: Option<Date>) -> Option<Date> {
        self.promised_by.or(expected)
    }

    /// Whether it is overdue on `today`.
    pub fn overdue(&self, today: Date, expected: Option<Date>) -> bool {
        self.received_on.is_none() && self.due(expected).is_some_and(|due| today > due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_is_legal() {
        use CaseState::*;
        let path = [
            Opened,
            RulesChecked,
            CancelledInApp,
            ChannelsClosed,
            RefundRequested,
            RefundPromised,
            RefundReceived,
            Resolved,
            Closed,
        ];
        for pair in path.windows(2) {
            assert!(
                pair[0].check(pair[1]).is_ok(),
                "{:?} → {:?}",
                pair[0],
                pair[1]
            );
        }
        for pair in [Overdue, Escalated, Resolved].windows(2) {
            assert!(pair[0].check(pair[1]).is_ok());
        }
    }

    #[test]
    fn illegal_moves_say_what_is_allowed() {
        let err = CaseState::Opened
            .check(CaseState::RefundReceived)
            .unwrap_err();
        assert!(
            err.to_string().contains("can become rules_checked"),
            "{err}"
        );
        assert!(err.localized(Lang::Zh).contains("不能变为“退款已到账”"));
        assert!(
            CaseState::Closed
                .check(CaseState::Opened)
                .unwrap_err()
                .to_string()
                .contains("nothing can follow")
        );
        assert!(
            CaseState::RefundReceived
                .check(CaseState::RefundRequested)
                .is_err()
        );
        for state in CaseState::ALL {
            assert_eq!(state.as_str().parse::<CaseState>().unwrap(), state);
            assert!(
                state == CaseState::Closed || state.check(CaseState::Closed).is_ok(),
                "{state} can always be closed"
            );
        }
    }

    #[test]
    fn refunds_fall_due() {
        let mut t = RefundTrack {
            requested_on: Some(jiff::civil::date(2026, 9, 28)),
            ..RefundTrack::default()
        };
        let expected = Some(jiff::civil::date(2026, 10, 13));
        assert!(!t.overdue(jiff::civil::date(2026, 10, 13), expected));
        assert!(t.overdue(jiff::civil::date(2026, 10, 14), expected));
        t.promised_by = Some(jiff::civil::date(2026, 10, 20));
        assert!(!t.overdue(jiff::civil::date(2026, 10, 14), expected));
        t.received_on = Some(jiff::civil::date(2026, 10, 30));
        assert!(!t.overdue(jiff::civil::date(2026, 11, 1), expected));
    }
}
