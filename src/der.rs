//! Writing the few DER structures pushlab makes itself (Apple's topics extension in test
//! certificates, the simulator CA's name constraints). Reading DER is x509-parser's job.

pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_UTF8_STRING: u8 = 0x0c;

/// Encodes one DER element (definite length).
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Whether `haystack` contains `needle` (an encoded OID, say).
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::der_parser::ber::BerObjectContent;
    use x509_parser::der_parser::der::parse_der;

    /// What is written reads back with x509-parser's DER parser, short and long lengths.
    #[test]
    fn encode_round_trips_through_a_real_parser() {
        for len in [0usize, 5, 127, 128, 300, 70_000] {
            let content = vec![0xab; len];
            let der = encode(0x04, &content);
            let (rest, obj) = parse_der(&der).unwrap();
            assert!(rest.is_empty());
            assert_eq!(obj.content, BerObjectContent::OctetString(&content));
        }
    }
}
