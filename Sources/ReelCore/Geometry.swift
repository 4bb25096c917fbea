import Foundation

/// A 2D vector in canvas pixels (x right, y down) or in a layer's local units.
public struct Vec2: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    public static let zero = Vec2(0, 0)
    public static let one = Vec2(1, 1)

    public static func + (a: Vec2, b: Vec2) -> Vec2 { Vec2(a.x + b.x, a.y + b.y) }
    public static func - (a: Vec2, b: Vec2) -> Vec2 { Vec2(a.x - b.x, a.y - b.y) }
    public static func * (a: Vec2, s: Double) -> Vec2 { Vec2(a.x * s, a.y * s) }

    public var description: String { "[\(x), \(y)]" }
}

/// An affine map of the plane: `x' = a·x + c·y + tx`, `y' = b·x + d·y + ty`.
///
/// Canvas space has its origin at the top-left corner and y pointing down, as in SVG and
/// every design tool; a positive rotation therefore turns clockwise on screen.
public struct Affine2D: Sendable, Hashable {
    public var a, b, c, d, tx, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    public static let identity = Affine2D(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    public static func translation(_ v: Vec2) -> Affine2D {
        Affine2D(a: 1, b: 0, c: 0, d: 1, tx: v.x, ty: v.y)
    }

    public static func scale(_ s: Vec2) -> Affine2D {
        Affine2D(a: s.x, b: 0, c: 0, d: s.y, tx: 0, ty: 0)
    }

    /// Rotation by `degrees`, clockwise on screen.
    public static func rotation(degrees: Double) -> Affine2D {
        let r = degrees * .pi / 180
        let (s, c) = (sin(r), cos(r))
        return Affine2D(a: c, b: s, c: -s, d: c, tx: 0, ty: 0)
    }

    /// Shear by `degrees.x` along x (x grows with y) and `degrees.y` along y.
    public static func skew(degrees: Vec2) -> Affine2D {
        if degrees == .zero { return .identity }
        return Affine2D(a: 1, b: tan(degrees.y * .pi / 180), c: tan(degrees.x * .pi / 180), d: 1, tx: 0, ty: 0)
    }

    /// `self` applied after `other`: `(self * other)(p) == self(other(p))`.
    public static func * (lhs: Affine2D, rhs: Affine2D) -> Affine2D {
        Affine2D(
            a: lhs.a * rhs.a + lhs.c * rhs.b,
            b: lhs.b * rhs.a + lhs.d * rhs.b,
            c: lhs.a * rhs.c + lhs.c * rhs.d,
            d: lhs.b * rhs.c + lhs.d * rhs.d,
            tx: lhs.a * rhs.tx + lhs.c * rhs.ty + lhs.tx,
            ty: lhs.b * rhs.tx + lhs.d * rhs.ty + lhs.ty
        )
    }

    public func apply(_ p: Vec2) -> Vec2 {
        Vec2(a * p.x + c * p.y + tx, b * p.x + d * p.y + ty)
    }

    /// The area scale factor; its square root is the average length scale.
    public var determinant: Double { a * d - b * c }
}

