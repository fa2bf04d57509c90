//! What a `.p12` asks of the CPU, read before OpenSSL runs: the iteration counts of its MAC
//! (PKCS#12 MacData) and of its password-based encryption (PKCS#12 PBE parameters, PBKDF2 in
//! PBES2). OpenSSL honours any count the file names, and 2^31−1 (a 4-byte edit) keeps it busy
//! for minutes per passphrase try.
//!
//! The limit, [`MAX_P12_ITERATIONS`], is 1,000,000. What real tools write: OpenSSL 2,048
//! (`PKCS12_DEFAULT_ITER`, MAC and encryption), macOS Keychain and Windows about 2,000, Java's
//! keytool 10,000 (JDK 12 and later); the most cautious guidance for PBKDF2-HMAC-SHA256 (OWASP,
//! 2023) is 600,000. A million is a hundred times keytool's count; measured here, OpenSSL 3.0
//! took 4.5 s to open a `.p12` whose two bags had 10,000,000 iterations each, so a million costs
//! under half a second a try, where 2^31−1 costs minutes.

/// The highest iteration count accepted in a `.p12`.
pub const MAX_P12_ITERATIONS: u64 = 1_000_000;

const TAG_INTEGER: u8 = 0x02;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OCTET_STRING_CONSTRUCTED: u8 = 0x24;
const TAG_SEQUENCE: u8 = 0x30;
/// How deep the walk goes: a PFX nests its PBE parameters about ten levels down.
const MAX_DEPTH: u32 = 24;
/// Elements visited at most; a real `.p12` has a few hundred.
const MAX_ELEMENTS: u32 = 100_000;

/// The highest iteration count the file names (MAC and encryption alike), or `None` when it
/// names none this walk can read. Every SEQUENCE in which an INTEGER follows an OCTET STRING
/// is taken as one: that is the shape of PKCS#12 PBE parameters (salt, iterations), PBKDF2
/// parameters (salt, iterationCount, …) and MacData (…, macSalt, iterations). The walk goes
/// into OCTET STRINGs that hold DER (the authenticated safe, the safe contents), takes BER's
/// indefinite lengths and constructed strings (some tools write them), and never into
/// encrypted bytes, which do not read as DER.
pub fn p12_iterations(bytes: &[u8]) -> Option<u64> {
    let mut walk = Walk {
        highest: None,
        elements: 0,
    };
    walk.elements_of(bytes, 0);
    walk.highest
}

struct Walk {
    highest: Option<u64>,
    elements: u32,
}

/// One element: its tag, contents, and the bytes after it.
struct Element<'a> {
    tag: u8,
    contents: Contents<'a>,
    rest: &'a [u8],
}

enum Contents<'a> {
    Definite(&'a [u8]),
    /// Indefinite length (BER): the elements up to the end-of-contents mark.
    Indefinite(&'a [u8]),
}

impl Walk {
    /// Walks the elements one after another in `bytes`; false when they do not read as DER.
    fn elements_of(&mut self, mut bytes: &[u8], depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let mut previous_was_octets = false;
        while !bytes.is_empty() {
            if bytes.starts_with(&[0, 0]) {
                return true; // end of an indefinite length, seen by the caller
            }
            self.elements += 1;
            if self.elements > MAX_ELEMENTS {
                return false;
            }
            let Some(e) = element(bytes) else {
                return false;
            };
            match (&e.contents, e.tag) {
                (Contents::Definite(c), TAG_INTEGER) if previous_was_octets => {
                    self.found(integer(c));
                }
                (Contents::Definite(c), TAG_OCTET_STRING) => {
                    // DER inside (the authenticated safe, safe contents), or plain bytes.
                    let mut inner = Walk {
                        highest: None,
                        elements: self.elements,
                    };
                    if inner.elements_of(c, depth + 1) {
                        self.elements = inner.elements;
                        if let Some(n) = inner.highest {
                            self.found(Some(n));
                        }
                    }
                }
                (Contents::Definite(c), t) if t & 0x20 != 0 => {
                    let _ = self.elements_of(c, depth + 1);
                }
                (Contents::Indefinite(c), TAG_OCTET_STRING_CONSTRUCTED) => {
                    let joined = join_chunks(c);
                    let _ = self.elements_of(&joined, depth + 1);
                }
                (Contents::Indefinite(c), _) => {
                    let _ = self.elements_of(c, depth + 1);
                }
                _ => {}
            }
            previous_was_octets = matches!(e.tag, TAG_OCTET_STRING | TAG_OCTET_STRING_CONSTRUCTED);
            if e.tag == TAG_SEQUENCE {
                previous_was_octets = false;
            }
            bytes = e.rest;
        }
        true
    }

    fn found(&mut self, n: Option<u64>) {
        if let Some(n) = n {
            self.highest = Some(self.highest.map_or(n, |h| h.max(n)));
        }
    }
}

/// Reads one element's header. Multi-byte tags are not used by PKCS#12 and end the walk.
fn element(bytes: &[u8]) -> Option<Element<'_>> {
    element_at(bytes, 0)
}

/// [`element`], `depth` indefinite lengths down (each is searched for its end).
fn element_at(bytes: &[u8], depth: u32) -> Option<Element<'_>> {
    let tag = *bytes.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *bytes.get(1)?;
    if first == 0x80 {
        // Indefinite: only for constructed elements; the contents end at 00 00.
        if tag & 0x20 == 0 {
            return None;
        }
        let body = bytes.get(2..)?;
        let end = indefinite_end(body, depth + 1)?;
        return Some(Element {
            tag,
            contents: Contents::Indefinite(&body[..end]),
            rest: body.get(end + 2..)?,
        });
    }
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 {
            return None;
        }
        let mut len = 0usize;
        for &b in bytes.get(2..2 + n)? {
            len = (len << 8) | usize::from(b);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    Some(Element {
        tag,
        contents: Contents::Definite(bytes.get(header..end)?),
        rest: bytes.get(end..)?,
    })
}

/// Where the end-of-contents mark of an indefinite length lies in `body`.
fn indefinite_end(mut body: &[u8], depth: u32) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let start = body.len();
    loop {
        if body.starts_with(&[0, 0]) {
            return Some(start - body.len());
        }
        let e = element_at(body, depth)?;
        body = e.rest;
    }
}

/// The primitive chunks of a constructed OCTET STRING, joined.
fn join_chunks(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(e) = element(bytes) {
        if let (TAG_OCTET_STRING, Contents::Definite(c)) = (e.tag, &e.contents) {
            out.extend_from_slice(c);
        }
        bytes = e.rest;
    }
    out
}

/// A non-negative INTEGER of at most 8 bytes (after a leading zero), else `u64::MAX`: a
/// count too large to hold is too large to run.
fn integer(c: &[u8]) -> Option<u64> {
    // Negative: no count at all.
    if c.first().is_none_or(|&b| b & 0x80 != 0) {
        return None;
    }
    let c = match c {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => c,
    };
    if c.len() > 8 {
        return Some(u64::MAX);
    }
    Some(c.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::{CertificateAuthority, ExportFormat, Passphrase, PushCertificateSpec};

    fn p12(legacy: bool) -> Vec<u8> {
        let ca = CertificateAuthority::generate("t").unwrap();
        let c = ca
            .issue_push_certificate(&PushCertificateSpec::new(
                "com.example.app",
                crate::cert::CertEnvironment::Development,
            ))
            .unwrap();
        let format = if legacy {
            ExportFormat::P12Legacy
        } else {
            ExportFormat::P12
        };
        c.export(format, Some(&Passphrase::new("pw"))).unwrap()
    }

    #[test]
    fn pushlabs_own_p12_files_name_openssls_default() {
        assert_eq!(p12_iterations(&p12(false)), Some(2048));
        assert_eq!(p12_iterations(&p12(true)), Some(2048));
    }

    #[test]
    fn an_edited_mac_count_is_found() {
        let mut bytes = p12(false);
        // MacData ends the file: …, OCTET STRING salt, INTEGER 2048 (02 02 08 00).
        let at = bytes.len() - 4;
        assert_eq!(&bytes[at..], &[0x02, 0x02, 0x08, 0x00]);
        // A 4-byte edit: the same length, the count 0x7fff.
        bytes[at + 2] = 0x7f;
        bytes[at + 3] = 0xff;
        assert_eq!(p12_iterations(&bytes), Some(0x7fff));
    }

    #[test]
    fn noise_names_nothing_and_ends() {
        assert_eq!(p12_iterations(b""), None);
        assert_eq!(p12_iterations(&[0x30, 0x80, 0x30, 0x80]), None);
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000)
            .flatten()
            .collect();
        assert_eq!(p12_iterations(&deep), None);
        let big = [
            0x30, 0x0e, 0x04, 0x01, 0x00, 0x02, 0x09, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff,
        ];
        assert_eq!(p12_iterations(&big), Some(u64::MAX));
        let negative = [0x30, 0x06, 0x04, 0x01, 0x00, 0x02, 0x01, 0xff];
        assert_eq!(p12_iterations(&negative), None);
    }

    /// Every byte of a real file changed, and every cut: the walk never panics and never
    /// reads past the end.
    #[test]
    fn every_single_byte_edit_and_cut_is_survived() {
        let original = p12(true);
        for at in 0..original.len() {
            for value in [0x00, 0x80, 0xff, 0x30] {
                let mut bytes = original.clone();
                bytes[at] = value;
                let _ = p12_iterations(&bytes);
            }
            let _ = p12_iterations(&original[..at]);
        }
    }
}
