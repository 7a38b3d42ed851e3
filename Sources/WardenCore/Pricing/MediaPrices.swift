/// What a model charges per unit rather than per token: per generated image and per second of
/// audio. All optional: an entry prices only the units its catalog publishes, and an event using
/// a unit its entry has no price for is unpriced (see ``ModelPrice/cost(of:media:)``).
public struct MediaPrices: Sendable, Hashable {
    /// Per-image prices, at most one per (size, quality), sorted by size then quality (nil first).
    public private(set) var images: [ImagePrice]
    /// Per second of audio input.
    public var audioInputPerSecond: Money?
    /// Per second of audio output.
    public var audioOutputPerSecond: Money?

    /// - Parameter images: in any order; a later price for the same size and quality replaces
    ///   an earlier one.
    public init(images: [ImagePrice] = [], audioInputPerSecond: Money? = nil, audioOutputPerSecond: Money? = nil) {
        var unique: [ImagePrice] = []
        for image in images {
            if let index = unique.firstIndex(where: { $0.size == image.size && $0.quality == image.quality }) {
                unique[index] = image
            } else {
                unique.append(image)
            }
        }
        // "Any" (nil) sorts before every named size or quality.
        func key(_ image: ImagePrice) -> String {
            (image.size.map { "1" + $0 } ?? "0") + "\u{0}" + (image.quality.map { "1" + $0 } ?? "0")
        }
        self.images = unique.sorted { key($0) < key($1) }
        self.audioInputPerSecond = audioInputPerSecond
        self.audioOutputPerSecond = audioOutputPerSecond
    }

    public static let none = MediaPrices()

    public var isEmpty: Bool { images.isEmpty && audioInputPerSecond == nil && audioOutputPerSecond == nil }

    /// These prices with every price `overlay` declares replacing this one's.
    public func overlaid(by overlay: MediaPrices) -> MediaPrices {
        MediaPrices(images: images + overlay.images,
                    audioInputPerSecond: overlay.audioInputPerSecond ?? audioInputPerSecond,
                    audioOutputPerSecond: overlay.audioOutputPerSecond ?? audioOutputPerSecond)
    }

    /// The price of one image, most specific first: this size and quality, this size at any
    /// quality, any size at this quality, any size and quality. An event that gives no size
    /// (or quality) matches only prices for any size (or quality): a size is never guessed.
    public func imagePrice(size: String?, quality: String?) -> Money? {
        var best: (rank: Int, price: Money)?
        for image in images {
            let sizeMatches = image.size == nil || image.size == size
            let qualityMatches = image.quality == nil || image.quality == quality
            guard sizeMatches && qualityMatches else { continue }
            let rank = (image.size == nil ? 2 : 0) + (image.quality == nil ? 1 : 0)
            if best == nil || rank < best!.rank { best = (rank, image.price) }
        }
        return best?.price
    }
}
