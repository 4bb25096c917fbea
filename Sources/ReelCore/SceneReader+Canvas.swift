/// `canvas` and `camera`: the picture and the view onto it.
extension SceneReader {
    func canvas(_ node: SourceNode, path: String) -> Canvas? {
        typealias Keys = Canvas.Keys
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        var canvas = Canvas()
        var ok = true
        // The frame rate first: `duration: 90f` is counted in it.
        if let v = value(Keys.fps, in: f, at: path) {
            canvas.fps = v
            fps = v
        } else { ok = false }
        if let sizeNode = f[Keys.size.key] {
            let sizePath = Self.join(path, Keys.size.key)
            canvasSizeLocation = sizeNode.location
            if let size = Keys.size.parse(self, sizeNode, sizePath) {
                if let w = exactInt(size.x), let h = exactInt(size.y), w >= 1, h >= 1 {
                    if w > limits.maxCanvasSide || h > limits.maxCanvasSide || w * h > limits.maxCanvasPixels {
                        report(.limitExceeded, "canvas \(w)×\(h) is too large; the limit is \(limits.maxCanvasSide) pixels a side and \(limits.maxCanvasPixels) pixels in all", at: sizeNode, path: sizePath)
                        ok = false
                    } else {
                        canvas.width = w
                        canvas.height = h
                    }
                } else {
                    report(.outOfRange, "expected [width, height] in whole pixels of at least 1, found [\(size.x.clean), \(size.y.clean)]", at: sizeNode, path: sizePath)
                    ok = false
                }
            } else { ok = false }
        }
        let durationPath = Self.join(path, Keys.duration.key)
        if let seconds = value(Keys.duration, in: f, at: path) {
            let durationNode = f[Keys.duration.key]
            if seconds <= 0 {
                report(.outOfRange, "the duration must be longer than 0", at: durationNode, path: durationPath)
                ok = false
            } else if seconds > limits.maxDurationSeconds {
                report(.limitExceeded, "the duration is over the limit of \(Int(limits.maxDurationSeconds)) s", at: durationNode, path: durationPath)
                ok = false
            } else if seconds * canvas.fps > Double(limits.maxFrames) {
                report(.limitExceeded, "\(SceneTime.seconds(seconds)) at \(canvas.fps.clean) fps is \(Int((seconds * canvas.fps).rounded())) frames; a scene may have at most \(limits.maxFrames) (24 h at 120 fps)",
                       at: durationNode, path: durationPath)
                ok = false
            } else {
                canvas.frameCount = max(1, Int((seconds * canvas.fps).rounded()))
            }
        } else { ok = false }
        if let background = value(Keys.background, in: f, at: path) { canvas.background = background } else { ok = false }
        if let samplesNode = f[Keys.samples.key] {
            let samplesPath = Self.join(path, Keys.samples.key)
            if let s = Keys.samples.parse(self, samplesNode, samplesPath), case let .count(allowed) = Keys.samples.description.type, allowed.contains(s) {
                canvas.samples = s
            } else {
                // A whole number outside the list; anything else was reported by `int`.
                if case .scalar(_, true, _) = samplesNode, Int(samplesNode.text ?? "") != nil {
                    report(.outOfRange, "expected 1, 2, 4, 8 or 16 samples, found \(samplesNode.foundDescription)", at: samplesNode, path: samplesPath)
                }
                ok = false
            }
        }
        return ok ? canvas : nil
    }

    func camera(_ node: SourceNode, path: String) -> Camera? {
        typealias Keys = Camera.Keys
        guard let f = fields(node, path: path, keys: Keys.all) else { return nil }
        let position = animated(Keys.position, in: f, at: path)
        let zoom = animated(Keys.zoom, in: f, at: path)
        let rotation = animated(Keys.rotation, in: f, at: path)
        guard let position, let zoom, let rotation else { return nil }
        return Camera(position: position, zoom: zoom, rotation: rotation)
    }
}
