import Foundation
import ReelCore
import Testing
@testable import Motion

@Suite("motion.particles")
struct ParticlesTests {
    static func scene(_ parameters: String, position: String = "[320, 180]", fps: Double = 30) throws -> Scene {
        try Fixture.scene("""
          - id: e
            circle: { radius: 3 }
            fill: "#ffffff"
            position: \(position)
            animate: [{ particles: { \(parameters) } }]
        """, fps: fps)
    }

    static func particles(_ scene: Scene, frame: Int) throws -> [LayerState] {
        Fixture.children(try Fixture.layer("e", in: scene, frame: frame))
    }

    @Test func theLivingAreThoseBornWithinALifetime() throws {
        // 10 a second, 1 s each; at 2.1 s (frame 63) particles 12…21 are alive.
        let alive = try Self.particles(try Self.scene("rate: 10, lifetime: 1"), frame: 63)
        #expect(alive.map(\.id) == (12...21).map { "e#\($0)" })
    }

    @Test func aFrameAloneEqualsTheSameFrameAfterTheOthers() throws {
        let scene = try Self.scene("rate: 40, lifetime: 1.5, spread: 360, gravity: [0, 200], drag: 0.5, spin: 90, size-end: 0.2")
        let alone = Fixture.frame(scene, 47)
        var sequence: [FrameState] = []
        for frame in 0...47 { sequence.append(Fixture.frame(scene, frame)) }
        let inOrder = try #require(sequence.last)
        let a = try Self.particles(scene, frame: 47), b = Fixture.children(try #require(Fixture.find("e", in: inOrder.layers)))
        #expect(a.count == b.count && a.count > 40)
        #expect(zip(a, b).allSatisfy { $0.id == $1.id && $0.transform == $1.transform && $0.opacity == $1.opacity })
        #expect(Fixture.find("e", in: alone.layers)?.transform == .identity)
    }

    @Test func aParticleIsAFunctionOfTimeNotOfTheFrameRate() throws {
        let slow = try Self.particles(try Self.scene("rate: 10, spread: 90, gravity: [0, 100]", fps: 30), frame: 30)
        let fast = try Self.particles(try Self.scene("rate: 10, spread: 90, gravity: [0, 100]", fps: 60), frame: 60)
        #expect(slow.map(\.id) == fast.map(\.id))
        #expect(zip(slow, fast).allSatisfy { close($0.origin, $1.origin, 1e-9) })
    }

    @Test func theCountIsCapped() throws {
        let many = try Self.particles(try Self.scene("rate: 10000, lifetime: 60"), frame: 299)
        #expect(many.count == Particles.maxParticles)
        #expect(many.last?.id == "e#99666", "the newest are kept: \(many.last?.id ?? "")")
    }

    @Test func flightFollowsGravityInClosedForm() throws {
        let scene = try Self.scene("rate: 1, lifetime: 5, speed: 100, variance: 0, direction: 0, spread: 0, gravity: [0, 200], fade: 0")
        // Particle 0, born at 0 s, at 1.5 s: x = 100 · 1.5, y = ½ · 200 · 1.5².
        let first = try #require(try Self.particles(scene, frame: 45).first)
        #expect(first.id == "e#0" && close(first.origin, Vec2(320 + 150, 180 + 225), 1e-9), "\(first.origin)")
    }

    @Test func dragTendsToTheFallUnderGravity() throws {
        let scene = try Self.scene("rate: 1, lifetime: 60, speed: 300, variance: 0, direction: 0, spread: 0, gravity: [0, 100], drag: 2, fade: 0")
        let a = try #require(try Self.particles(scene, frame: 600).first), b = try #require(try Self.particles(scene, frame: 630).first)
        // Terminal velocity g/d = 50 px/s straight down; the 300 px/s start decayed away.
        let velocity = (b.origin - a.origin) * 1
        #expect(close(velocity, Vec2(0, 50), 1e-6), "\(velocity)")
        #expect(abs(a.origin.x - (320 + 150)) < 1e-6, "x travels v₀ / d in all")
    }

    @Test func startAndDurationBoundTheEmission() throws {
        let scene = try Self.scene("rate: 10, lifetime: 0.5, start: 1s, duration: 1s")
        #expect(try Self.particles(scene, frame: 29).isEmpty)
        #expect(try !Self.particles(scene, frame: 31).isEmpty)
        #expect(try Self.particles(scene, frame: 59).last?.id == "e#9", "born at 1 s + k/10 for k < 10")
        #expect(try Self.particles(scene, frame: 76).isEmpty)
    }

    @Test func particlesShrinkAndFadeOverTheirLife() throws {
        let scene = try Self.scene("rate: 1, lifetime: 2, speed: 0, size-end: 0.5, fade: 0.5")
        // Particle 0 at 1.5 s: three quarters through life, halfway through its fade.
        let p = try #require(try Self.particles(scene, frame: 45).first)
        #expect(abs(p.opacity - 0.5) < 1e-9)
        #expect(abs((p.transform.apply(Vec2(1, 0)) - p.origin).length - 0.625) < 1e-9)
    }

    @Test func particlesLeaveFromWhereTheEmitterWasUnlessLocal() throws {
        let moving = "{ keys: [[0s, [0, 0]], [2s, [200, 0]]] }"
        let trail = try Self.particles(try Self.scene("rate: 1, lifetime: 5, speed: 0", position: moving), frame: 45)
        #expect(zip(trail.map(\.origin.x), [0.0, 100]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(trail.map(\.origin))")
        let local = try Self.particles(try Self.scene("rate: 1, lifetime: 5, speed: 0, local: true", position: moving), frame: 45)
        #expect(local.allSatisfy { abs($0.origin.x - 150) < 1e-9 })
    }
}
