import Foundation
import ReelCore
import ReelGL

/// `postfx.transition`: from one layer group to another — a crossfade, a wipe or a slide.
///
/// Used as an effect of a group with two children, the "from" group first:
///
/// ```yaml
/// - id: cut
///   group:
///     - { id: before, group: [ … ] }
///     - { id: after, group: [ … ] }
///   effects: [{ transition: { style: wipe, progress: { keys: [[2s, 0], [3s, 1, inOutCubic]] } } }]
/// ```
public struct Transition: PostPass {
    /// How the second child replaces the first.
    public enum Style: String, Choice {
        case crossfade, wipe, slide
    }

    public static let progress = Param.number("progress", default: 0, in: 0...1, doc: "0 shows the first child, 1 the second; keyframe it")
    public static let style = Param.choice("style", default: Style.crossfade, doc: Style.list)
    public static let angle = Param.number("angle", default: 0, doc: "direction the wipe edge or the slide moves, degrees (0 is to the right, 90 down)")
    public static let softness = Param.number("softness", default: 0.05, in: 0...1, doc: "width of the wipe edge, as a fraction of the travel")

    public let declaration = ContributionDeclaration(
        "transition", summary: "crossfade, wipe or slide between the two children of a group",
        parameters: [progress, style, angle, softness])

    public init() {}

    public func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
        // The decoder refuses other words; a use built in code may still hold one.
        guard let chosen = input.value(of: Self.style), let mode = Style.allCases.firstIndex(of: chosen) else {
            throw ReelError(.postFXParameter, "transition style '\(input.parameters[Self.style.name]?.sceneText ?? "")' is not \(Style.list)")
        }
        guard input.partCount == 2 else {
            throw ReelError(.passInput, "a transition needs a group with exactly two children (from, to); this one has \(input.partCount)",
                            detail: "put it in the effects of a group whose first child is the 'from' layer and second the 'to' layer")
        }
        let progress = min(max(input[Self.progress], 0), 1)
        if progress == 0 { return try input.part(0) }
        if progress == 1 { return try input.part(1) }
        let from = try input.part(0), to = try input.part(1)
        let radians = input[Self.angle] * .pi / 180
        let program = try gl.program("postfx.transition", fragment: PassGL.fragment("""
            vec2 dir = vec2(cos(uAngle), sin(uAngle));
            vec4 a, b;
            if (uMode == 0) {
                a = texture(uSource, vUV);
                b = texture(uTo, vUV);
                fragColor = mix(a, b, uProgress);
            } else if (uMode == 1) {
                // Position along the direction, 0 where the edge starts and 1 where it ends,
                // measured over the picture's extent in that direction.
                vec2 p = vUV * uSize;
                float lo = min(0.0, dir.x * uSize.x) + min(0.0, dir.y * uSize.y);
                float hi = max(0.0, dir.x * uSize.x) + max(0.0, dir.y * uSize.y);
                float t = (dot(p, dir) - lo) / (hi - lo);
                float edge = uProgress * (1.0 + uSoftness);
                float w = 1.0 - smoothstep(edge - uSoftness, edge, t);
                fragColor = mix(texture(uSource, vUV), texture(uTo, vUV), w);
            } else {
                // Both pictures move by progress × the travel; the second follows the first in.
                vec2 travel = dir * (abs(dir.x) * uSize.x + abs(dir.y) * uSize.y) / uSize;
                vec2 uvA = vUV - travel * uProgress;
                vec2 uvB = uvA + travel;
                bool inA = all(greaterThanEqual(uvA, vec2(0.0))) && all(lessThanEqual(uvA, vec2(1.0)));
                bool inB = all(greaterThanEqual(uvB, vec2(0.0))) && all(lessThanEqual(uvB, vec2(1.0)));
                fragColor = inA ? texture(uSource, uvA) : (inB ? texture(uTo, uvB) : vec4(0.0));
            }
            """, declarations: "uniform sampler2D uTo;\nuniform int uMode;\nuniform float uProgress;\nuniform float uAngle;\nuniform float uSoftness;"))
        return try gl.render(program, like: input, textures: ["uSource": from, "uTo": to], uniforms: [
            "uMode": .int(mode), "uProgress": .float(progress), "uAngle": .float(radians),
            "uSoftness": .float(input[Self.softness]),
        ])
    }
}
