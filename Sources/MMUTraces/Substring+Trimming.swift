extension Substring {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: Substring {
        var result = drop { $0 == " " }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
