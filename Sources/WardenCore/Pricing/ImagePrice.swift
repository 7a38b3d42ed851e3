/// The price of one generated image of a size and quality: "a 1024x1024 `hd` image costs 0.08".
///
/// `nil` for ``size`` or ``quality`` means "any": the price applies to images the more specific
/// prices of the entry do not cover (see ``MediaPrices/imagePrice(size:quality:)``).
public struct ImagePrice: Sendable, Hashable {
    /// `1024x1024`, compared exactly with an event's `image_size`; nil for any size.
    public var size: String?
    /// `standard`, `hd`, `low` ..., compared exactly with an event's `image_quality`; nil for any.
    public var quality: String?
    public var price: Money

    public init(size: String? = nil, quality: String? = nil, price: Money) {
        self.size = size
        self.quality = quality
        self.price = price
    }
}
