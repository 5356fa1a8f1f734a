import Foundation

/// Evaluates FindItem restrictions and sort orders against stored items.
enum Restriction {
    static func matches(_ node: XNode, _ item: StoredItem) -> Bool {
        switch node.name {
        case "Restriction": return node.children.first.map { matches($0, item) } ?? true
        case "And": return node.children.allSatisfy { matches($0, item) }
        case "Or": return node.children.contains { matches($0, item) }
        case "Not": return !(node.children.first.map { matches($0, item) } ?? false)
        case "Exists":
            guard let path = FieldPath.first(in: node) else { return false }
            return !ContactParsing.values(path, of: item).isEmpty
        case "Contains": return contains(node, item)
        case "IsEqualTo", "IsNotEqualTo", "IsGreaterThan", "IsGreaterThanOrEqualTo", "IsLessThan", "IsLessThanOrEqualTo":
            return compare(node, item)
        default:
            return true  // Excludes and others: not filtered
        }
    }

    static func compare(_ node: XNode, _ item: StoredItem) -> Bool {
        guard let path = FieldPath.first(in: node), let rhsNode = node.child("FieldURIOrConstant") else { return false }
        let rhs: [String]
        if let constant = rhsNode.child("Constant") {
            rhs = [constant.attr("Value") ?? ""]
        } else if let other = FieldPath.first(in: rhsNode) {
            rhs = ContactParsing.values(other, of: item)
        } else {
            return false
        }
        let lhs = ContactParsing.values(path, of: item)
        if node.name == "IsNotEqualTo" {
            return !lhs.contains { l in rhs.contains { order(l, $0) == .orderedSame } }
        }
        return lhs.contains { l in
            rhs.contains { r in
                let o = order(l, r)
                switch node.name {
                case "IsEqualTo": return o == .orderedSame
                case "IsGreaterThan": return o == .orderedDescending
                case "IsGreaterThanOrEqualTo": return o != .orderedAscending
                case "IsLessThan": return o == .orderedAscending
                default: return o != .orderedDescending
                }
            }
        }
    }

    static func contains(_ node: XNode, _ item: StoredItem) -> Bool {
        guard let path = FieldPath.first(in: node), let needle = node.child("Constant")?.attr("Value") else { return false }
        let mode = node.attr("ContainmentMode") ?? "Substring"
        let exact = (node.attr("ContainmentComparison") ?? "Exact") == "Exact"
        return ContactParsing.values(path, of: item).contains { value in
            let v = exact ? value : value.lowercased(), n = exact ? needle : needle.lowercased()
            switch mode {
            case "FullString": return v == n
            case "Prefixed": return v.hasPrefix(n)
            case "PrefixOnWords": return v.split(separator: " ").contains { $0.hasPrefix(n) }
            default: return v.contains(n)
            }
        }
    }

    /// Numbers compare numerically, everything else case-insensitively (Exchange's default collation).
    static func order(_ a: String, _ b: String) -> ComparisonResult {
        if let x = Double(a), let y = Double(b) { return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending) }
        return a.compare(b, options: [.caseInsensitive])
    }

    /// Applies `<m:SortOrder>` (stable; first FieldOrder is the primary key).
    static func sort(_ items: [StoredItem], by sortOrder: XNode?) -> [StoredItem] {
        let orders = sortOrder?.all("FieldOrder").compactMap { fo -> (FieldPath, Bool)? in
            guard let path = FieldPath.first(in: fo) else { return nil }
            return (path, fo.attr("Order") == "Descending")
        } ?? []
        guard !orders.isEmpty else { return items }
        return items.enumerated().sorted { lhs, rhs in
            for (path, descending) in orders {
                let a = ContactParsing.values(path, of: lhs.element).first ?? ""
                let b = ContactParsing.values(path, of: rhs.element).first ?? ""
                let o = order(a, b)
                if o != .orderedSame { return descending ? o == .orderedDescending : o == .orderedAscending }
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
