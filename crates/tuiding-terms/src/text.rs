//! Input text: bytes → characters, HTML → text, and a matching view in Simplified Chinese
//! whose characters line up one to one with the text, so every finding can point back at
//! the exact characters of the input.

use encoding_rs::{Encoding, GB18030};

/// The text being read.
pub struct Text {
    /// The readable characters (HTML tags removed, entities decoded).
    pub chars: Vec<char>,
    /// For each readable character, its character offset in the input.
    pub origin: Vec<usize>,
    /// The same characters, Traditional forms mapped to Simplified and full-width ASCII to
    /// ASCII, lower-cased: what the patterns match against.
    pub folded: Vec<char>,
    /// The input's character count.
    pub input_chars: usize,
    /// Whether Traditional characters were seen.
    pub traditional: bool,
}

/// Why the input cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Not text in UTF-8 or GB18030.
    NotText,
}

/// Decodes bytes: a BOM wins, then UTF-8, then GB18030 (GBK); anything else is not text.
pub fn decode(bytes: &[u8]) -> Result<String, TextError> {
    if let Some((encoding, skip)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[skip..])
            .map(|t| t.into_owned())
            .ok_or(TextError::NotText);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let text = GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or(TextError::NotText)?
        .into_owned();
    // GB18030 maps almost any byte sequence; a text with control bytes is binary.
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if control * 20 > text.chars().count().max(1) {
        return Err(TextError::NotText);
    }
    Ok(text)
}

impl Text {
    /// Prepares `input` (plain text or HTML) for reading.
    pub fn new(input: &str) -> Text {
        let input_chars: Vec<char> = input.chars().collect();
        let (chars, origin) = if looks_like_html(input) {
            strip_html(&input_chars)
        } else {
            (input_chars.clone(), (0..input_chars.len()).collect())
        };
        let mut traditional = false;
        let folded = chars
            .iter()
            .map(|&c| {
                let f = fold(c);
                if f != c && is_traditional(c) {
                    traditional = true;
                }
                f
            })
            .collect();
        Text {
            chars,
            origin,
            folded,
            input_chars: input_chars.len(),
            traditional,
        }
    }

    /// The readable characters `start..end` as a string.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// The input offsets of readable characters `start..end`.
    pub fn input_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.origin.get(start).copied().unwrap_or(self.input_chars);
        let e = if end == 0 {
            s
        } else {
            self.origin
                .get(end - 1)
                .map_or(self.input_chars, |&o| o + 1)
        };
        (s, e)
    }
}

fn looks_like_html(input: &str) -> bool {
    let head: String = input.chars().take(4096).collect::<String>().to_lowercase();
    [
        "<html",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<br",
        "<li>",
        "<span",
        "<h1",
        "<h2",
        "<!doctype",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// Removes tags, scripts and styles; decodes common entities; block tags become line breaks.
fn strip_html(input: &[char]) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::with_capacity(input.len());
    let mut origin = Vec::with_capacity(input.len());
    let mut i = 0;
    let lower_at = |i: usize, word: &str| -> bool {
        word.chars().enumerate().all(|(k, w)| {
            input
                .get(i + k)
                .is_some_and(|c| c.to_ascii_lowercase() == w)
        })
    };
    while i < input.len() {
        let c = input[i];
        if c == '<' {
            for skipped in ["script", "style"] {
                if lower_at(i + 1, skipped) {
                    let close = format!("</{skipped}");
                    let mut j = i + 1;
                    while j < input.len() && !lower_at(j, &close) {
                        j += 1;
                    }
                    i = j;
                    break;
                }
            }
            let block = [
                "p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "section", "/p", "/div",
                "/li", "/h",
            ]
            .iter()
            .any(|t| {
                lower_at(i + 1, t)
                    && input
                        .get(i + 1 + t.len())
                        .is_some_and(|c| !c.is_ascii_alphanumeric())
            });
            let start = i;
            while i < input.len() && input[i] != '>' {
                i += 1;
            }
            if block && chars.last() != Some(&'\n') {
                chars.push('\n');
                origin.push(start);
            }
            i += 1;
            continue;
        }
        if c == '&'
            && let Some(end) = (i + 1..(i + 10).min(input.len())).find(|&j| input[j] == ';')
        {
            let entity: String = input[i + 1..end].iter().collect();
            let decoded = match entity.as_str() {
                "nbsp" | "ensp" | "emsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "yen" => Some('¥'),
                "rarr" => Some('→'),
                e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            if let Some(d) = decoded {
                chars.push(d);
                origin.push(i);
                i = end + 1;
                continue;
            }
        }
        chars.push(c);
        origin.push(i);
        i += 1;
    }
    (chars, origin)
}

/// Full-width ASCII to ASCII, ASCII to lower case, Traditional to Simplified.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let c = c.to_ascii_lowercase();
    simplified().get(&c).copied().unwrap_or(c)
}

fn is_traditional(c: char) -> bool {
    simplified().contains_key(&c)
}

fn simplified() -> &'static std::collections::HashMap<char, char> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<char, char>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        TRADITIONAL
            .iter()
            .copied()
            .filter(|(t, s)| t != s)
            .collect()
    })
}

/// Traditional → Simplified for the characters the patterns use.
static TRADITIONAL: &[(char, char)] = &[
    ('並', '并'),
    ('內', '内'),
    ('兩', '两'),
    ('個', '个'),
    ('優', '优'),
    ('價', '价'),
    ('傳', '传'),
    ('儲', '储'),
    ('關', '关'),
    ('則', '则'),
    ('動', '动'),
    ('務', '务'),
    ('勞', '劳'),
    ('區', '区'),
    ('協', '协'),
    ('單', '单'),
    ('參', '参'),
    ('變', '变'),
    ('項', '项'),
    ('員', '员'),
    ('問', '问'),
    ('啟', '启'),
    ('團', '团'),
    ('國', '国'),
    ('圖', '图'),
    ('執', '执'),
    ('場', '场'),
    ('壞', '坏'),
    ('夠', '够'),
    ('學', '学'),
    ('實', '实'),
    ('審', '审'),
    ('對', '对'),
    ('將', '将'),
    ('專', '专'),
    ('導', '导'),
    ('屆', '届'),
    ('幣', '币'),
    ('帳', '帐'),
    ('應', '应'),
    ('態', '态'),
    ('戶', '户'),
    ('擇', '择'),
    ('據', '据'),
    ('擊', '击'),
    ('據', '据'),
    ('數', '数'),
    ('於', '于'),
    ('時', '时'),
    ('書', '书'),
    ('會', '会'),
    ('條', '条'),
    ('極', '极'),
    ('權', '权'),
    ('歸', '归'),
    ('歲', '岁'),
    ('決', '决'),
    ('沒', '没'),
    ('測', '测'),
    ('減', '减'),
    ('準', '准'),
    ('無', '无'),
    ('點', '点'),
    ('為', '为'),
    ('現', '现'),
    ('產', '产'),
    ('發', '发'),
    ('號', '号'),
    ('確', '确'),
    ('禮', '礼'),
    ('種', '种'),
    ('稱', '称'),
    ('積', '积'),
    ('筆', '笔'),
    ('節', '节'),
    ('範', '范'),
    ('約', '约'),
    ('紀', '纪'),
    ('納', '纳'),
    ('級', '级'),
    ('終', '终'),
    ('組', '组'),
    ('結', '结'),
    ('給', '给'),
    ('統', '统'),
    ('經', '经'),
    ('綁', '绑'),
    ('綜', '综'),
    ('網', '网'),
    ('緊', '紧'),
    ('線', '线'),
    ('續', '续'),
    ('繳', '缴'),
    ('聯', '联'),
    ('聲', '声'),
    ('臺', '台'),
    ('與', '与'),
    ('著', '着'),
    ('處', '处'),
    ('號', '号'),
    ('蘋', '苹'),
    ('補', '补'),
    ('製', '制'),
    ('複', '复'),
    ('視', '视'),
    ('規', '规'),
    ('覽', '览'),
    ('訂', '订'),
    ('計', '计'),
    ('記', '记'),
    ('設', '设'),
    ('許', '许'),
    ('訴', '诉'),
    ('註', '注'),
    ('詢', '询'),
    ('該', '该'),
    ('說', '说'),
    ('請', '请'),
    ('調', '调'),
    ('談', '谈'),
    ('證', '证'),
    ('讀', '读'),
    ('變', '变'),
    ('負', '负'),
    ('費', '费'),
    ('貨', '货'),
    ('購', '购'),
    ('賬', '账'),
    ('質', '质'),
    ('贈', '赠'),
    ('趨', '趋'),
    ('這', '这'),
    ('進', '进'),
    ('過', '过'),
    ('運', '运'),
    ('違', '违'),
    ('適', '适'),
    ('選', '选'),
    ('還', '还'),
    ('邊', '边'),
    ('釋', '释'),
    ('銀', '银'),
    ('銷', '销'),
    ('錢', '钱'),
    ('錯', '错'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('閉', '闭'),
    ('關', '关'),
    ('陸', '陆'),
    ('際', '际'),
    ('險', '险'),
    ('雙', '双'),
    ('離', '离'),
    ('電', '电'),
    ('需', '需'),
    ('頁', '页'),
    ('項', '项'),
    ('須', '须'),
    ('預', '预'),
    ('領', '领'),
    ('頻', '频'),
    ('額', '额'),
    ('顯', '显'),
    ('類', '类'),
    ('風', '风'),
    ('體', '体'),
    ('點', '点'),
    ('週', '周'),
    ('撤', '撤'),
    ('擔', '担'),
    ('於', '于'),
    ('訊', '讯'),
    ('話', '话'),
    ('簽', '签'),
    ('達', '达'),
    ('遞', '递'),
    ('緣', '缘'),
    ('換', '换'),
    ('買', '买'),
    ('賣', '卖'),
    ('輸', '输'),
    ('滿', '满'),
    ('閱', '阅'),
    ('簡', '简'),
    ('議', '议'),
    ('從', '从'),
    ('機', '机'),
    ('當', '当'),
    ('後', '后'),
    ('絡', '络'),
    ('郵', '邮'),
    ('認', '认'),
    ('狀', '状'),
    ('們', '们'),
    ('償', '偿'),
    ('賠', '赔'),
    ('損', '损'),
    ('驗', '验'),
    ('碼', '码'),
    ('鈕', '钮'),
    ('鍵', '键'),
    ('餘', '余'),
    ('轉', '转'),
    ('灣', '湾'),
    ('舉', '举'),
    ('義', '义'),
    ('責', '责'),
    ('爭', '争'),
    ('訟', '讼'),
    ('錄', '录'),
    ('載', '载'),
    ('寫', '写'),
    ('連', '连'),
    ('鏈', '链'),
    ('標', '标'),
    ('漲', '涨'),
    ('屬', '属'),
    ('別', '别'),
    ('樣', '样'),
    ('樂', '乐'),
    ('聽', '听'),
    ('觀', '观'),
    ('遊', '游'),
    ('戲', '戏'),
    ('雲', '云'),
    ('撥', '拨'),
    ('熱', '热'),
    ('貳', '贰'),
    ('藉', '借'),
    ('僅', '仅'),
    ('係', '系'),
    ('繼', '继'),
    ('稅', '税'),
    ('讓', '让'),
    ('歷', '历'),
    ('曆', '历'),
    ('頭', '头'),
    ('儘', '尽'),
    ('盡', '尽'),
    ('衛', '卫'),
    ('護', '护'),
    ('隱', '隐'),
    ('誤', '误'),
    ('遲', '迟'),
    ('擔', '担'),
    ('兌', '兑'),
    ('試', '试'),
    ('積', '积'),
    ('訪', '访'),
    ('據', '据'),
    ('廣', '广'),
    ('告', '告'),
    ('閱', '阅'),
    ('週', '周'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold('續'), '续');
        assert_eq!(fold('費'), '费');
        assert_eq!(fold('Ａ'), 'a');
    }
}
