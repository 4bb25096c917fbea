// `reel`: the command line with Reel's own plugins and remote dispatch (`worker`, `modal init`,
// `render --dispatch`). A program that adds plugins does the same with
// `ReelCLIDispatch.main(plugins: [...])`, or `ReelCLI.main(plugins: [...])` without dispatch
// and its HTTP stack (see `reel plugin new`).
import ReelCLIDispatch

ReelCLIDispatch.main()
