import ReelCore

/// `motion.follow-path`: moves a layer along SVG path data, by distance travelled.
///
/// The path point is added to the layer's position, as `motion.orbit` adds its offset:
/// leave `position` unset and the path is in the parent's coordinates; set it and the path
/// is drawn relative to it. `progress` is the fraction of the path's length, so a constant
/// rate of progress is a constant speed on screen; keyframe it, with any easing, to move.
public struct FollowPath: AnimationPass {
    public static let path = Param.string("path", default: "M 0 0 L 100 0",
                                          doc: "SVG path data in the parent's coordinates, added to the layer's position")
    public static let progress = Param.number("progress", default: 0,
                                              doc: "how far along, 0 (start) to 1 (end) of its length; beyond, a closed path wraps and an open one holds")
    public static let orient = Param.bool("orient", default: false, doc: "turn the layer to face along the path")
    public static let offset = Param.number("offset", default: 0,
                                            doc: "degrees added to the path's direction when orienting (90 turns the layer's top to face forward)")

    public let declaration = ContributionDeclaration(
        "follow-path", summary: "moves the layer along an SVG path by arc length, optionally turning along it",
        parameters: [path, progress, orient, offset])

    public init() {}

    public func validate(_ parameters: [String: ParameterValue]) -> [ParameterProblem] {
        guard let text = Self.path.written(in: parameters) else { return [] }
        return PathParameter.problems(Self.path, text)
    }

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        // Decoding checked the path; a use built in code with a bad one leaves the layer alone.
        guard let sampler = PathParameter.sampler(context[Self.path]) else { return }
        let (point, direction) = sampler.sample(atProgress: context[Self.progress])
        layer.translate(by: point)
        if context[Self.orient] { layer.rotate(degrees: direction.degrees + context[Self.offset]) }
    }
}

/// A string parameter holding SVG path data.
enum PathParameter {
    /// The sampler for `text`, or nil when it is not path data.
    static func sampler(_ text: String) -> PathSampler? {
        (try? PathData(svg: text, maxCommands: maxCommands)).map(PathSampler.init)
    }

    /// The decode-time problem with `text`, pointing at the offending character.
    static func problems(_ param: Param<String>, _ text: String) -> [ParameterProblem] {
        do {
            _ = try PathData(svg: text, maxCommands: maxCommands)
            return []
        } catch {
            return [param.problem("bad SVG path data: \(error.message) at character \(error.offset + 1)", offset: error.offset)]
        }
    }

    /// Bounds the work of a hostile path: it is parsed every frame.
    static let maxCommands = 10_000
}
