/// Characters that change how text is shown rather than what it says: C0 and C1 controls (ESC
/// starts terminal escape sequences), DEL, and the bidi overrides, embeddings and isolates that
/// reorder what follows them (a name that displays as something else). Contact data comes from
/// outside; a terminal or a log must never run it.
public enum DisplayText {
    /// Line feed and tab are not refused in free text; `isUnsafe` says whether they are.
    public static func isUnsafe(_ s: Unicode.Scalar, allowLayout: Bool = false) -> Bool {
        switch s.value {
        case 0x09, 0x0A: return !allowLayout
        case 0x00...0x1F, 0x7F...0x9F: return true
        // LRM, RLM, ALM; LRE…RLO; LRI…PDI.
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether a name holds any of them (names are one line: no tab or line feed either).
    public static func hasControls(_ s: String) -> Bool { s.unicodeScalars.contains { isUnsafe($0) } }

    /// `s` with each of them replaced by U+FFFD, one column each, so tables keep their shape;
    /// line feeds and tabs stay when `allowLayout` (whole messages), not in a table cell.
    public static func neutralised(_ s: String, allowLayout: Bool = true) -> String {
        guard s.unicodeScalars.contains(where: { isUnsafe($0, allowLayout: allowLayout) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            out.append(isUnsafe(scalar, allowLayout: allowLayout) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }
}
