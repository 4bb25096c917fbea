import Foundation
import ReelCore

/// `motion.repeat`: turns a layer into a group of copies laid out on a grid, around a
/// circle or along a path, each changed by per-copy expressions.
///
/// Copy k (0-based) has the id `<id>#k`. Its place comes from `mode`; then `offset-x`,
/// `offset-y`, `rotation`, `scale` and `opacity` are expressions of the copy
/// (see `Formula`) with the variables
///
/// - `i`: the copy's index, 0…n-1; `n`: the number of copies
/// - `col`, `row`: its column and row on the grid (row 0 and col i elsewhere)
/// - `t`: seconds since the scene's start; `frame`: the frame number
///
/// and the functions sin, cos, tan, abs, sqrt, floor, ceil, round, fract, sign, min, max,
/// pow, clamp, mix and rand (a number in 0…1 fixed by its argument, the scene's seed and the
/// layer's id). `delay` plays copy k's keyframes that many seconds late (the layer at
/// t - delay, with the passes listed before this one). Copies are placed, turned and scaled
/// in the layer's own coordinates, about its origin.
public struct Repeat: AnimationPass {
    enum Mode: String, Choice { case grid, radial, path }

    /// The most copies one use makes.
    static let maxCount = 1_000
    static let variables = ["i", "n", "col", "row", "t", "frame"]
    static let expressions: [(name: String, fallback: Double, doc: String)] = [
        ("offset-x", 0, "pixels added to each copy's x"),
        ("offset-y", 0, "pixels added to each copy's y"),
        ("rotation", 0, "each copy's turn, degrees clockwise"),
        ("scale", 1, "each copy's size factor"),
        ("opacity", 1, "each copy's opacity, 0…1 (multiplies the layer's)"),
        ("delay", 0, "seconds each copy's animation runs late"),
    ]

    public let descriptor = ContributionDescriptor(
        plugin: "motion", name: "repeat", kind: .animation,
        summary: "turns the layer into a grid, ring or path of copies, each shaped by expressions of its index",
        parameters: [
            ParameterSpec(name: "mode", type: .string, defaultValue: "grid", doc: "how copies are laid out: \(Mode.list)"),
            ParameterSpec(name: "count", type: .integer, defaultValue: "5", minimum: 0, maximum: Double(maxCount),
                          doc: "number of copies (at most \(maxCount))"),
            ParameterSpec(name: "columns", type: .integer, defaultValue: "5", minimum: 1, maximum: Double(maxCount),
                          doc: "grid: copies per row"),
            ParameterSpec(name: "spacing", type: .vec2, defaultValue: "[40, 40]", doc: "grid: distance between neighbours, pixels"),
            ParameterSpec(name: "radius", type: .number, defaultValue: "100", doc: "radial: the circle's radius, pixels"),
            ParameterSpec(name: "path", type: .string, defaultValue: "\"\"",
                          doc: "path: SVG path data in the layer's coordinates; copies are spread evenly along its length"),
            ParameterSpec(name: "orient", type: .bool, defaultValue: "false", doc: "radial, path: turn each copy along the circle or path"),
        ] + expressions.map { ParameterSpec(name: $0.name, type: .string, defaultValue: $0.fallback.clean, doc: $0.doc + "; an expression") })

    public init() {}

    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] {
        var problems = Mode.problems("mode", in: parameters)
        for expression in Self.expressions {
            guard case let .string(text)? = parameters[expression.name] else { continue }
            do { _ = try Formula(text, variables: Self.variables) } catch {
                problems.append(ParameterProblem(parameter: expression.name, message: "bad expression: \(error.message)", offset: error.offset))
            }
        }
        if Mode.read("mode", from: parameters) == .path, case let .string(text)? = parameters["path"] {
            problems += text.isEmpty ? [ParameterProblem(parameter: "path", message: "mode path needs path data, like \"M 0 0 L 200 0\"")]
                                     : PathParameter.problems("path", text)
        }
        return problems
    }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let count = min(max(Int(context.number("count", 5).rounded()), 0), Self.maxCount)
        let mode = Mode.read("mode", in: context, fallback: .grid)
        var compiled: [String: Formula] = [:]
        for expression in Self.expressions {
            // Decoding checked them; one that fails here (a use built in code) is its default.
            compiled[expression.name] = try? Formula(context.string(expression.name, expression.fallback.clean), variables: Self.variables)
        }
        let places = Self.places(count: count, mode: mode, context: context)
        let randomSeed = context.seed, layerID = context.layerID
        let random = { (x: Double) -> Double in
            var generator = SeededRandom(seed: randomSeed, layer: layerID, frame: Int(truncatingIfNeeded: x.bitPattern), stream: 0x5245_5045_4154)
            return generator.unit()
        }

        var copies: [LayerState] = []
        copies.reserveCapacity(count)
        for (index, place) in places.enumerated() {
            let values = [Double(index), Double(count), place.column, place.row, context.time, Double(context.frame)]
            func value(_ name: String, _ fallback: Double) -> Double {
                guard let result = compiled[name]?.evaluate(values, random: random), result.isFinite else { return fallback }
                return result
            }
            let delay = value("delay", 0)
            let source = delay == 0 ? layer : context.layer(at: context.time - delay) ?? layer
            let opacity = source.opacity * min(max(value("opacity", 1), 0), 1)
            guard opacity > 0 else { continue }
            let scale = value("scale", 1)
            let placement = Affine2D.translation(place.point + Vec2(value("offset-x", 0), value("offset-y", 0)))
                * .rotation(degrees: place.rotation + value("rotation", 0)) * .scale(Vec2(scale, scale))
            copies.append(source.copy(id: "\(layer.id)#\(index)", transform: source.transform * placement, opacity: opacity))
        }
        layer.become(groupOf: copies)
    }

    /// Where copy k sits in the layer's coordinates, its grid cell, and its turn when oriented.
    struct Place {
        var point: Vec2
        var column: Double
        var row: Double
        var rotation: Double
    }

    static func places(count: Int, mode: Mode, context: AnimationContext) -> [Place] {
        guard count > 0 else { return [] }
        let orient = context.bool("orient")
        switch mode {
        case .grid:
            let columns = min(max(Int(context.number("columns", 5).rounded()), 1), count)
            let rows = (count + columns - 1) / columns
            let spacing = context.vec2("spacing", Vec2(40, 40))
            // Centred on the layer's origin, filled row by row.
            return (0..<count).map { k in
                let column = Double(k % columns), row = Double(k / columns)
                let point = Vec2((column - Double(columns - 1) / 2) * spacing.x, (row - Double(rows - 1) / 2) * spacing.y)
                return Place(point: point, column: column, row: row, rotation: 0)
            }
        case .radial:
            let radius = context.number("radius", 100)
            // Clockwise from the top; oriented copies face along the circle (the top one unturned).
            return (0..<count).map { k in
                let angle = 360 * Double(k) / Double(count) - 90
                return Place(point: Vec2(degrees: angle) * radius, column: Double(k), row: 0, rotation: orient ? angle + 90 : 0)
            }
        case .path:
            guard let sampler = PathParameter.sampler(context.string("path")) else { return [] }
            // A closed path has no end copy on top of its start copy.
            let steps = sampler.isClosed ? count : max(count - 1, 1)
            return (0..<count).map { k in
                let (point, direction) = sampler.sample(atProgress: Double(k) / Double(steps))
                return Place(point: point, column: Double(k), row: 0, rotation: orient ? direction.degrees : 0)
            }
        }
    }
}
