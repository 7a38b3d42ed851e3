/// What one call produced or consumed besides tokens: generated images and audio seconds.
///
/// Audio *tokens* are not here: they are subsets of the token counts (``TokenUsage/audioInput``,
/// ``TokenUsage/audioOutput``). These are the units a catalog prices per unit: per image (by
/// size and quality) and per second of audio.
public struct MediaUsage: Sendable, Hashable {
    /// Images generated (or edited) by the call.
    public var images: Int64
    /// The images' size as the provider names it (`1024x1024`), or nil when not given.
    public var imageSize: String?
    /// The images' quality as the provider names it (`standard`, `hd`, `low` ...), or nil.
    public var imageQuality: String?
    /// Seconds of audio sent to the model (a transcription's recording).
    public var audioInputSeconds: MediaSeconds
    /// Seconds of audio the model produced (speech).
    public var audioOutputSeconds: MediaSeconds

    public init(
        images: Int64 = 0, imageSize: String? = nil, imageQuality: String? = nil,
        audioInputSeconds: MediaSeconds = .zero, audioOutputSeconds: MediaSeconds = .zero
    ) {
        self.images = images
        self.imageSize = imageSize
        self.imageQuality = imageQuality
        self.audioInputSeconds = audioInputSeconds
        self.audioOutputSeconds = audioOutputSeconds
    }

    public static let none = MediaUsage()

    /// True when the call has no per-unit usage at all (a text or embedding call).
    public var isEmpty: Bool { images == 0 && audioInputSeconds.isZero && audioOutputSeconds.isZero }

    /// What a bad `images` value is told, on usage events and checks alike.
    public static func imagesProblem(_ problem: InputBounds.TokenCountProblem) -> String {
        problem == .tooLarge ? problem.description : "must be a whole number of images, 0 or more"
    }
}
