//! A minimal DER reader: just enough to walk the few structures OpenSSL has no safe API for
//! (Apple's topics extension, the algorithm identifiers inside a PKCS#12 file).

/// One DER element: its tag byte and its content bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_UTF8_STRING: u8 = 0x0c;
pub(crate) const TAG_IA5_STRING: u8 = 0x16;
pub(crate) const TAG_PRINTABLE_STRING: u8 = 0x13;

/// Reads one element from the front of `input`, returning it and the rest.
pub(crate) fn read(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        // Four length bytes already describe 4 GiB: anything longer is not a real file.
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let mut len = 0usize;
        for &b in &rest[..count] {
            len = (len << 8) | usize::from(b);
        }
        rest = &rest[count..];
        len
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((Element { tag, content }, rest))
}

/// All elements in a sequence's content, stopping at the first malformed one.
pub(crate) fn children(mut content: &[u8]) -> Vec<Element<'_>> {
    let mut out = Vec::new();
    while let Some((element, rest)) = read(content) {
        out.push(element);
        content = rest;
    }
    out
}

/// Whether `haystack` contains `needle`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let short = [0x0c, 0x02, b'h', b'i', 0xff];
        let (el, rest) = read(&short).unwrap();
        assert_eq!(el.tag, TAG_UTF8_STRING);
        assert_eq!(el.content, b"hi");
        assert_eq!(rest, &[0xff]);

        let mut long = vec![0x04, 0x81, 200];
        long.extend(std::iter::repeat_n(7u8, 200));
        let (el, rest) = read(&long).unwrap();
        assert_eq!(el.content.len(), 200);
        assert!(rest.is_empty());
    }

    #[test]
    fn rejects_truncated_input() {
        assert!(read(&[0x30, 0x05, 1, 2]).is_none());
        assert!(read(&[0x30, 0x82, 0x01]).is_none());
        assert!(read(&[]).is_none());
    }
}

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

#[cfg(test)]
mod encode_tests {
    use super::*;

    #[test]
    fn encode_round_trips_through_read() {
        for len in [0usize, 5, 127, 128, 300, 70_000] {
            let content = vec![0xab; len];
            let der = encode(TAG_OCTET_STRING, &content);
            let (el, rest) = read(&der).unwrap();
            assert_eq!(el.content, &content[..]);
            assert!(rest.is_empty());
        }
    }
}
