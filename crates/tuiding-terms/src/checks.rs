//! What the rules require an agreement to disclose, and terms users should know are
//! contestable (《消费者权益保护法实施条例》第十七条: standard terms may not unreasonably
//! exclude the seller's liability or restrict the consumer's right to leave).

use std::sync::OnceLock;

use regex::Regex;

macro_rules! re {
    ($name:ident, $pattern:expr) => {
        fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            RE.get_or_init(|| Regex::new($pattern).expect("valid pattern"))
        }
    };
}

re!(
    final_interpretation,
    r"最终解释权|解释权归|final (right of )?interpretation|sole (and final )?(right to )?interpret"
);
re!(irrevocable, r"不可撤销|不得撤销|irrevocabl");
re!(
    blanket_no_refund,
    r"一律不予退|一律不退|概不退|任何(情况|理由|原因)[^。；]{0,12}(不予|不)退|均不予退|均不退|无论[^。；]{0,20}(不予|不)退|under no circumstances[^.;]{0,40}refund|all (fees|payments|charges)[^.;]{0,30}non-?refundable|no refunds?[^.;]{0,20}under any"
);
re!(
    unilateral_change,
    r"(有权|保留)[^。；]{0,20}(修改|变更|调整|更新)[^。；]{0,40}(无需|无须|不必|不再|不)(另行|再行|单独|事先)?(通知|告知|征得)|单方面?(修改|变更|调整)|reserves? the right to (change|modify|amend|update)[^.;]{0,80}without (prior )?notice|at (our|its) sole discretion[^.;]{0,40}(change|modify|amend)"
);
re!(
    retried_after_expiry,
    r"(扣款|扣费|续费|支付)(失败|不成功)[^。；]{0,40}(再次|重新|多次|继续|持续|反复)[^。；]{0,6}(尝试)?(扣|发起|划)|(到期|过期|失效|关闭|取消)(后|以后|之后)[^。；]{0,20}(仍|继续|仍然|还会|依然)[^。；]{0,6}(扣款|扣费|收费)|retry[^.;]{0,30}(charg|payment|billing)|attempt to (charge|bill)[^.;]{0,20}again|扣款尝试|尝试扣(款|费)|(不时|多次|反复|持续|循环)的?(进行)?(扣款|扣费|划扣)|余额不足[^。；]{0,30}(扣款|扣费|划扣)"
);

/// A contestable term.
pub struct FlagRule {
    /// The flag's name.
    pub name: &'static str,
    /// Why users should know (zh).
    pub why_zh: &'static str,
    /// Why users should know (en).
    pub why_en: &'static str,
    matcher: fn() -> &'static Regex,
}

impl FlagRule {
    /// Whether a folded sentence carries the term.
    pub fn matches(&self, folded: &str) -> bool {
        (self.matcher)().is_match(folded)
    }
}

/// Every flag rule.
pub fn flag_rules() -> &'static [FlagRule] {
    static RULES: [FlagRule; 5] = [
        FlagRule {
            name: "final_interpretation_right",
            why_zh: "“最终解释权归平台所有”属于排除消费者权利的格式条款，依《消费者权益保护法实施条例》第十七条可主张无效。",
            why_en: "A \"final right of interpretation\" clause is a standard term that excludes the consumer's rights; contestable under art. 17 of the Consumer Protection Law Implementing Regulations.",
            matcher: final_interpretation,
        },
        FlagRule {
            name: "irrevocable_authorisation",
            why_zh: "“不可撤销”的扣款授权限制了消费者随时取消的权利；自动续费规则要求可随时取消。",
            why_en: "An \"irrevocable\" payment authorisation restricts the right to cancel at any time, which the auto-renewal rules guarantee.",
            matcher: irrevocable,
        },
        FlagRule {
            name: "blanket_no_refund",
            why_zh: "“一律不予退款”不问情形地排除退款，属于可争议的格式条款（实施条例第十七条）。",
            why_en: "A blanket \"no refunds in any case\" term excludes refunds regardless of circumstances: a contestable standard term (art. 17).",
            matcher: blanket_no_refund,
        },
        FlagRule {
            name: "unilateral_change",
            why_zh: "平台可单方修改条款或价格且无需通知，违反价格变动须提前告知、消费者可选择退出的要求。",
            why_en: "The platform may change terms or prices unilaterally without notice, against the rule that price changes be notified in advance with a right to leave.",
            matcher: unilateral_change,
        },
        FlagRule {
            name: "charges_retried_after_expiry",
            why_zh: "到期或扣款失败后仍继续尝试扣款，可能在你以为已结束后产生费用。",
            why_en: "Charges are retried after expiry or a failed payment: money may be taken after you thought it had ended.",
            matcher: retried_after_expiry,
        },
    ];
    &RULES
}

/// The disclosure requirements, in output order, with their sources.
pub const REQUIREMENTS: &[(&str, &str, &str)] = &[
    (
        "renewal_cycle_stated",
        "写明续费周期",
        "states the renewal cycle",
    ),
    (
        "renewal_price_stated",
        "写明续费价格",
        "states the renewal price",
    ),
    (
        "reminder_5_days_before_renewal",
        "续费前五日提醒（《网络交易监督管理办法》第十八条）",
        "reminds 5 days before renewal (Online Transaction Supervision Measures, art. 18)",
    ),
    (
        "cancellation_method_stated",
        "写明取消方式",
        "states how to cancel",
    ),
    (
        "no_cancellation_fee",
        "取消不收取不合理费用",
        "no unreasonable fee for cancelling",
    ),
    (
        "price_change_notice",
        "价格变动提前告知并可退出",
        "price changes notified in advance, with a right to leave",
    ),
];
