import ReelCore

/// `motion.stagger`: on a group, plays its children's animation one after another — child
/// at rank r shows what it would show `delay · r` seconds earlier — so ten copies of one
/// keyframed entrance become a cascade.
///
/// Ranks follow `order`: painter's order, its reverse, outwards from the middle (the two
/// middle children of an even count share rank 0), or a shuffle seeded by the scene's seed,
/// the layer's id and `seed`. The group's own transform, opacity and paint stay as they are
/// now. Other layers are left unchanged.
///
/// Each child is taken from the group evaluated at its own time (`AnimationContext.layer(at:)`),
/// so a group of n children costs n evaluations of the group.
public struct Stagger: AnimationPass {
    enum Order: String, Choice { case forward, reverse, centerOut = "center-out", random }

    public static let delay = Param.time("delay", default: 0.1, doc: "seconds between one child and the next")
    static let order = Param.choice("order", default: Order.forward, doc: "which child goes first: \(Order.list)")
    public static let seed = Param.integer("seed", default: 0, in: 0..., doc: "another shuffle for order: random")

    public let declaration = ContributionDeclaration(
        "stagger", summary: "on a group: delays each child's animation by its rank times a delay",
        parameters: [delay, order, seed])

    public init() {}

    public func animate(_ layer: inout LayerState, in context: AnimationContext) {
        guard case .group = layer.content, !context.childIDs.isEmpty else { return }
        let delay = context[Self.delay]
        let ranks = Self.ranks(count: context.childIDs.count, order: context[Self.order],
                               random: SeededRandom(seed: context.seed, layer: context.layerID, frame: 0,
                                                    stream: UInt64(max(0, context[Self.seed]))))
        var groups: [Double: [LayerState]] = [:]
        var children: [LayerState] = []
        for (index, id) in context.childIDs.enumerated() {
            let time = context.time - delay * Double(ranks[index])
            if groups[time] == nil {
                guard case let .group(then)? = context.layer(at: time)?.content else { continue }
                groups[time] = then
            }
            if let child = groups[time]?.first(where: { $0.id == id }) { children.append(child) }
        }
        layer.content = .group(children)
    }

    /// The rank of each of `count` children in painter's order.
    static func ranks(count: Int, order: Order, random: SeededRandom) -> [Int] {
        switch order {
        case .forward:
            return Array(0..<count)
        case .reverse:
            return (0..<count).map { count - 1 - $0 }
        case .centerOut:
            // Distance from the middle, in whole children: 0 for the middle one (or two).
            let middle = Double(count - 1) / 2
            return (0..<count).map { Int((Double($0) - middle).magnitude.rounded(.down)) }
        case .random:
            var generator = random, ranks = Array(0..<count)
            // Fisher–Yates with our own generator: the standard shuffle's algorithm may change
            // between Swift versions, and renders must not.
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(i + 1))
                ranks.swapAt(i, j)
            }
            return ranks
        }
    }
}
