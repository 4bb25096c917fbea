// `reel`: the command line with Reel's own plugins. A program that adds plugins does the
// same with `ReelCLI.main(plugins: [...])` (see `reel plugin new`).
import ReelCLI

ReelCLI.main()
