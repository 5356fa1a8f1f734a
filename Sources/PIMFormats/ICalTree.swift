import SyncModel

/// A content line of an iCalendar stream; the value still escaped.
struct ICalLine {
    var name: String
    var params: [EventParameter]
    var value: String
    var line: Int

    func param(_ n: String) -> String? { params.first { $0.name == n }?.values.first }

    var property: EventProperty { EventProperty(name: name, params: params, value: value) }
}

/// A BEGIN…END block with its lines and sub-blocks.
struct ICalNode {
    var name: String
    var lines: [ICalLine] = []
    var children: [ICalNode] = []
    var line: Int

    var kept: EventComponent {
        EventComponent(name: name, properties: lines.map(\.property), components: children.map(\.kept))
    }
}

extension ICalNode {
    init(_ c: EventComponent) {
        self.init(name: c.name, lines: c.properties.map { ICalLine(name: $0.name, params: $0.params, value: $0.value, line: 0) },
                  children: c.components.map(ICalNode.init), line: 0)
    }
}

/// Bytes → the VCALENDAR blocks, within `ICalLimits`. Reuses the vCard lexer (unfolding, UTF-8 or
/// Windows-1252, parameter quoting); a malformed line outside any block is skipped.
enum ICalTree {
    static func parse(_ bytes: [UInt8], limits: ICalLimits) throws(ICalError) -> (roots: [ICalNode], problems: [ICalError]) {
        guard bytes.count <= limits.maxBytes else { throw ICalError("input of \(bytes.count) bytes exceeds \(limits.maxBytes)") }
        var stack: [ICalNode] = [], roots: [ICalNode] = [], problems: [ICalError] = []
        var components = 0
        for l in Lexer.logicalLines(bytes) {
            guard l.bytes.count <= limits.maxLineBytes else { throw ICalError("line longer than \(limits.maxLineBytes) bytes", line: l.line) }
            if l.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let c: ContentLine
            do { c = try Lexer.contentLine(l) } catch { problems.append(ICalError(error.message, line: l.line)); continue }
            let value = c.value.trimmingWhitespace().uppercased()
            switch c.name {
            case "BEGIN":
                guard stack.count < limits.maxDepth else { throw ICalError("components nested deeper than \(limits.maxDepth)", line: l.line) }
                components += 1
                guard components <= limits.maxComponents else { throw ICalError("more than \(limits.maxComponents) components") }
                stack.append(ICalNode(name: value, line: l.line))
            case "END":
                // A stray END (or one closing an outer block early) closes up to its match.
                guard let i = stack.lastIndex(where: { $0.name == value }) else {
                    problems.append(ICalError("END:\(value) without BEGIN", line: l.line)); continue
                }
                while stack.count > i + 1 {
                    let open = stack.removeLast()
                    problems.append(ICalError("\(open.name) not closed", line: open.line))
                    stack[stack.count - 1].children.append(open)
                }
                let done = stack.removeLast()
                if stack.isEmpty { roots.append(done) } else { stack[stack.count - 1].children.append(done) }
            default:
                guard !stack.isEmpty else { continue }
                guard stack[stack.count - 1].lines.count < limits.maxPropertiesPerComponent else {
                    throw ICalError("more than \(limits.maxPropertiesPerComponent) properties in one component", line: l.line)
                }
                let params = c.params.map { EventParameter(name: $0.name, values: $0.values) }
                let name = c.group.map { "\($0).\(c.rawName)" } ?? c.name
                stack[stack.count - 1].lines.append(ICalLine(name: name.uppercased(), params: params, value: c.value, line: l.line))
            }
        }
        // Truncated input: keep what was complete in the unclosed blocks.
        while let open = stack.popLast() {
            problems.append(ICalError("\(open.name) not closed", line: open.line))
            if stack.isEmpty { roots.append(open) } else { stack[stack.count - 1].children.append(open) }
        }
        return (roots, problems)
    }
}
