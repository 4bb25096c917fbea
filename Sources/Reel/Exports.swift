// `import Reel` is all a program embedding the engine needs: scenes (ReelCore), the GL
// context (ReelGL) and output settings (ReelMedia) come with it.
@_exported import ReelCore
@_exported import ReelGL
@_exported import ReelMedia
