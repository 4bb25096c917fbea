import ReelCore

/// `motion.follow-path`: moves a layer along SVG path data, by distance travelled.
///
/// The path point is added to the layer's position, as `motion.orbit` adds its offset:
/// leave `position` unset and the path is in the parent's coordinates; set it and the path
/// is drawn relative to it. `progress` is the fraction of the path's length, so a constant
/// rate of progress is a constant speed on screen; keyframe it, with any easing, to move.
public struct FollowPath: AnimationPass {
    public let descriptor = ContributionDescriptor(
        plugin: "motion", name: "follow-path", kind: .animation,
        summary: "moves the layer along an SVG path by arc length, optionally turning along it",
        parameters: [
            ParameterSpec(name: "path", type: .string, defaultValue: "\"M 0 0 L 100 0\"",
                          doc: "SVG path data in the parent's coordinates, added to the layer's position"),
            ParameterSpec(name: "progress", type: .number, defaultValue: "0",
                          doc: "how far along, 0 (start) to 1 (end) of its length; beyond, a closed path wraps and an open one holds"),
            ParameterSpec(name: "orient", type: .bool, defaultValue: "false", doc: "turn the layer to face along the path"),
            ParameterSpec(name: "offset", type: .number, defaultValue: "0",
                          doc: "degrees added to the path's direction when orienting (90 turns the layer's top to face forward)"),
        ])

    public init() {}

    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] {
        guard case let .string(text)? = parameters["path"] else { return [] }
        return PathParameter.problems("path", text)
    }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        // Decoding checked the path; a use built in code with a bad one leaves the layer alone.
        guard let sampler = PathParameter.sampler(context.string("path")) else { return }
        let (point, direction) = sampler.sample(atProgress: context.number("progress"))
        layer.translate(by: point)
        if context.bool("orient") { layer.rotate(degrees: direction.degrees + context.number("offset")) }
    }
}

/// A string parameter holding SVG path data.
enum PathParameter {
    /// The sampler for `text`, or nil when it is not path data.
    static func sampler(_ text: String) -> PathSampler? {
        (try? PathData(svg: text, maxCommands: maxCommands)).map(PathSampler.init)
    }

    /// The decode-time problem with `text`, pointing at the offending character.
    static func problems(_ name: String, _ text: String) -> [ParameterProblem] {
        do {
            _ = try PathData(svg: text, maxCommands: maxCommands)
            return []
        } catch {
            return [ParameterProblem(parameter: name, message: "bad SVG path data: \(error.message) at character \(error.offset + 1)",
                                     offset: error.offset)]
        }
    }

    /// Bounds the work of a hostile path: it is parsed every frame.
    static let maxCommands = 10_000
}
