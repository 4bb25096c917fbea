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

    /// A per-copy expression: its declaration, and the number it stands for where it gives
    /// no finite result (or does not parse, in a use built in code).
    struct Expression: Sendable {
        let param: Param<String>
        let fallback: Double

        init(_ name: String, _ fallback: Double, _ doc: String) {
            param = Param.string(name, default: fallback.clean, doc: doc + "; an expression")
            self.fallback = fallback
        }
    }

    static let mode = Param.choice("mode", default: Mode.grid, doc: "how copies are laid out: \(Mode.list)")
    public static let count = Param.integer("count", default: 5, in: 0...maxCount, doc: "number of copies (at most \(maxCount))")
    public static let columns = Param.integer("columns", default: 5, in: 1...maxCount, doc: "grid: copies per row")
    public static let spacing = Param.vec2("spacing", default: Vec2(40, 40), doc: "grid: distance between neighbours, pixels")
    public static let radius = Param.number("radius", default: 100, doc: "radial: the circle's radius, pixels")
    public static let path = Param.string("path", default: "",
                                          doc: "path: SVG path data in the layer's coordinates; copies are spread evenly along its length")
    public static let orient = Param.bool("orient", default: false, doc: "radial, path: turn each copy along the circle or path")
    static let offsetX = Expression("offset-x", 0, "pixels added to each copy's x")
    static let offsetY = Expression("offset-y", 0, "pixels added to each copy's y")
    static let rotation = Expression("rotation", 0, "each copy's turn, degrees clockwise")
    static let scale = Expression("scale", 1, "each copy's size factor")
    static let opacity = Expression("opacity", 1, "each copy's opacity, 0…1 (multiplies the layer's)")
    static let delay = Expression("delay", 0, "seconds each copy's animation runs late")
    static let expressions = [offsetX, offsetY, rotation, scale, opacity, delay]

    public let declaration = ContributionDeclaration(
        "repeat", summary: "turns the layer into a grid, ring or path of copies, each shaped by expressions of its index",
        parameters: [mode, count, columns, spacing, radius, path, orient] + expressions.map(\.param))

    public init() {}

    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] {
        var problems: [ParameterProblem] = []
        for expression in Self.expressions {
            guard let text = expression.param.written(in: parameters) else { continue }
            do { _ = try Formula(text, variables: Self.variables) } catch {
                problems.append(expression.param.problem("bad expression: \(error.message)", offset: error.offset))
            }
        }
        if Self.mode.written(in: parameters) == .path, let text = Self.path.written(in: parameters) {
            problems += text.isEmpty ? [Self.path.problem("mode path needs path data, like \"M 0 0 L 200 0\"")]
                                     : PathParameter.problems(Self.path, text)
        }
        return problems
    }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let count = min(max(context[Self.count], 0), Self.maxCount)
        let mode = context[Self.mode]
        var compiled: [String: Formula] = [:]
        for expression in Self.expressions {
            // Decoding checked them; one that fails here (a use built in code) is its default.
            compiled[expression.param.name] = try? Formula(context[expression.param], variables: Self.variables)
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
            func value(_ expression: Expression) -> Double {
                guard let result = compiled[expression.param.name]?.evaluate(values, random: random), result.isFinite else {
                    return expression.fallback
                }
                return result
            }
            let delay = value(Self.delay)
            let source = delay == 0 ? layer : context.layer(at: context.time - delay) ?? layer
            let opacity = source.opacity * min(max(value(Self.opacity), 0), 1)
            guard opacity > 0 else { continue }
            let scale = value(Self.scale)
            let placement = Affine2D.translation(place.point + Vec2(value(Self.offsetX), value(Self.offsetY)))
                * .rotation(degrees: place.rotation + value(Self.rotation)) * .scale(Vec2(scale, scale))
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
        let orient = context[Self.orient]
        switch mode {
        case .grid:
            let columns = min(max(context[Self.columns], 1), count)
            let rows = (count + columns - 1) / columns
            let spacing = context[Self.spacing]
            // Centred on the layer's origin, filled row by row.
            return (0..<count).map { k in
                let column = Double(k % columns), row = Double(k / columns)
                let point = Vec2((column - Double(columns - 1) / 2) * spacing.x, (row - Double(rows - 1) / 2) * spacing.y)
                return Place(point: point, column: column, row: row, rotation: 0)
            }
        case .radial:
            let radius = context[Self.radius]
            // Clockwise from the top; oriented copies face along the circle (the top one unturned).
            return (0..<count).map { k in
                let angle = 360 * Double(k) / Double(count) - 90
                return Place(point: Vec2(degrees: angle) * radius, column: Double(k), row: 0, rotation: orient ? angle + 90 : 0)
            }
        case .path:
            guard let sampler = PathParameter.sampler(context[Self.path]) else { return [] }
            // A closed path has no end copy on top of its start copy.
            let steps = sampler.isClosed ? count : max(count - 1, 1)
            return (0..<count).map { k in
                let (point, direction) = sampler.sample(atProgress: Double(k) / Double(steps))
                return Place(point: point, column: Double(k), row: 0, rotation: orient ? direction.degrees : 0)
            }
        }
    }
}
