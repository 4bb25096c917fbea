import Foundation
import ReelCore

/// `motion.particles`: an emitter. The layer's own look is the particle; the layer becomes a
/// group of particles thrown from where it stands.
///
/// Particle k is born at `start + k / rate` (until `start + duration` when a duration is
/// given) and lives `lifetime` seconds. Its direction, speed and spin come from a generator
/// keyed by the scene's seed, the layer's id and k — never by the frame — and its place is
/// a closed form of its age under gravity and drag:
///
///     v(τ) = g/d + (v₀ - g/d)·e^(-dτ),  x(τ) = (g/d)·τ + (v₀ - g/d)·(1 - e^(-dτ))/d
///
/// (x = v₀τ + ½gτ² without drag). So any frame is computed on its own, and a frame range
/// equals the same frames of a full render. Particle k has the id `<id>#k`.
///
/// At most `maxParticles` (500) are alive at once; past that the oldest are left out.
/// Particles start where the emitter was at their birth (the layer at that time, with the
/// passes listed before this one), unless `local` keeps them moving with it.
public struct Particles: AnimationPass {
    /// The most particles drawn at once: bounds the work of a frame whatever the rate.
    public static let maxParticles = 500

    public static let rate = Param.number("rate", default: 20, in: 0...10_000, doc: "particles born per second")
    public static let lifetime = Param.number("lifetime", default: 2, in: 0.001...3600, doc: "seconds each particle lives")
    public static let speed = Param.number("speed", default: 100, doc: "starting speed, pixels per second")
    public static let variance = Param.number("variance", default: 0.3, in: 0...1,
                                              doc: "how much slower than speed a particle may start, as a fraction")
    public static let direction = Param.number("direction", default: -90, doc: "mean direction, degrees clockwise from +x (-90 is up)")
    public static let spread = Param.number("spread", default: 30, in: 0...360, doc: "width of the cone directions are drawn from, degrees")
    public static let gravity = Param.vec2("gravity", default: .zero, doc: "acceleration, pixels per second squared ([0, 300] falls)")
    public static let drag = Param.number("drag", default: 0, in: 0...100, doc: "how fast speed decays towards the fall under gravity, per second")
    public static let sizeEnd = Param.number("size-end", default: 1, in: 0..., doc: "scale at the end of life (1 at birth)")
    public static let fade = Param.number("fade", default: 0.3, in: 0...1,
                                          doc: "fraction of the lifetime, at its end, over which a particle fades out")
    public static let spin = Param.number("spin", default: 0, doc: "largest turn per second either way, degrees")
    public static let start = Param.time("start", default: 0, doc: "when the first particle is born")
    public static let duration = Param.time("duration", default: 0, doc: "how long it emits; 0 is until the end")
    public static let local = Param.bool("local", default: false, doc: "particles move with the emitter instead of from where they were born")

    public let declaration = ContributionDeclaration(
        "particles", summary: "turns the layer into an emitter of copies of itself, with gravity, drag, spin and fade",
        parameters: [rate, lifetime, speed, variance, direction, spread, gravity, drag, sizeEnd, fade, spin, start, duration, local])

    public init() {}

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        let rate = context[Self.rate], lifetime = context[Self.lifetime]
        let start = context[Self.start], duration = context[Self.duration]
        guard rate > 0, lifetime > 0, rate.isFinite else {
            layer.become(groupOf: [])
            return
        }
        // Alive: born at start + k / rate with 0 ≤ age < lifetime, newest maxParticles kept.
        let elapsed = context.time - start
        var last = Self.index(elapsed * rate + 1e-9)
        if duration > 0 { last = Swift.min(last, Self.index(duration * rate - 1e-9)) }
        let first = Swift.max(0, Self.index((elapsed - lifetime) * rate) + 1, last - Self.maxParticles + 1)
        guard last >= first else {
            layer.become(groupOf: [])
            return
        }

        let motion = Motion(context)
        let template = layer, emitterNow = layer.origin, local = context[Self.local]
        var particles: [LayerState] = []
        particles.reserveCapacity(last - first + 1)
        for k in first...last {
            let birth = start + Double(k) / rate, age = context.time - birth
            guard age >= 0, age < lifetime else { continue }
            var random = context.random(stream: 0x5041_5254, frame: k)
            let life = age / lifetime
            let opacity = motion.fade > 0 ? Swift.min((1 - life) / motion.fade, 1) : 1
            guard opacity > 0 else { continue }
            let emitter = local ? emitterNow : context.layer(at: birth)?.origin ?? emitterNow
            let place = emitter + motion.displacement(age: age, random: &random)
            let spin = motion.spin * (random.unit() * 2 - 1) * age
            let size = 1 + (motion.sizeEnd - 1) * life
            // The template's shape, turned and scaled about its origin, moved to the particle.
            let transform = Affine2D.translation(place) * .rotation(degrees: spin) * .scale(Vec2(size, size))
                * .translation(.zero - emitterNow) * template.transform
            particles.append(template.copy(id: "\(layer.id)#\(k)", transform: transform, opacity: template.opacity * opacity))
        }
        layer.become(groupOf: particles)
    }

    /// The whole number at or below `x`, kept where an `Int` can hold it.
    private static func index(_ x: Double) -> Int {
        Int(Swift.min(Swift.max(x.rounded(.down), -1e15), 1e15))
    }

    /// The parameters that shape every particle's flight, read once a frame.
    private struct Motion {
        var speed, variance, direction, spread, drag, spin, sizeEnd, fade: Double
        var gravity: Vec2

        init(_ context: AnimationContext) {
            (speed, variance) = (context[Particles.speed], context[Particles.variance])
            (direction, spread) = (context[Particles.direction], context[Particles.spread])
            (drag, spin) = (context[Particles.drag], context[Particles.spin])
            (sizeEnd, fade) = (context[Particles.sizeEnd], context[Particles.fade])
            gravity = context[Particles.gravity]
        }

        /// How far a particle has travelled at `age`; draws its direction and speed from
        /// `random` (always the same two draws, so later draws stay fixed too).
        func displacement(age: Double, random: inout SeededRandom) -> Vec2 {
            let angle = direction + spread * (random.unit() - 0.5)
            let v0 = Vec2(degrees: angle) * (speed * (1 - variance * random.unit()))
            guard drag > 1e-9 else { return v0 * age + gravity * (0.5 * age * age) }
            let terminal = gravity * (1 / drag)
            return terminal * age + (v0 - terminal) * ((1 - exp(-drag * age)) / drag)
        }
    }
}
