# pushlab, English. Ids: <screen>-<what>. See ARCHITECTURE.md, "Translations".

## Navigation and settings (app/nav.rs, theme.rs)

nav-logo = Pushlab logo
nav-group-set-up = Set up
nav-group-send = Send
nav-group-test = Test
nav-credentials = Credentials
nav-connection = Connection
nav-compose = Compose & Send
nav-batch = Batch
nav-history = History
nav-simulator = Simulator
nav-appearance = Appearance
appearance-system = Follow system
appearance-light = Light
appearance-dark = Dark
nav-language = Language
# $language: the system's language, named in itself ("English", "简体中文").
nav-language-system = Follow system ({ $language })
nav-drop-one = Drop to import this file
nav-drop-many = Drop to import these { NUMBER($count) } files
nav-drop-kinds = Certificates (.cer), keys (.pem, .key), .p12 and .p8 files

## Fonts (fonts.rs)

fonts-missing-cjk = Chinese, Japanese and Korean text shows as boxes: no font for it was found. Install a CJK font such as Noto Sans CJK to see this text.
fonts-missing-other = Some scripts (Arabic, Hebrew or others) have no font on this system and show as boxes. Install Noto Sans or DejaVu Sans to see this text.
fonts-hide-note = Hide
fonts-language-needs-cjk = Chinese needs a CJK font (such as Noto Sans CJK); until one is installed the app stays in English.

## compose/mod.rs

compose-heading = Compose & Send
compose-token = Device token
compose-token-hint = paste the token your app logged, in any form
compose-saved-devices = Saved devices
compose-no-devices = No saved devices
compose-save-device = Save device…
compose-device-name = Device name
compose-device-group = Group
compose-save = Save
compose-forget = Forget this device
compose-demo = Use the demo device
compose-push-type = Push type
compose-template = Template
compose-bundle = Bundle id
compose-form = Form
compose-json = JSON
compose-payload = Payload JSON
compose-kept-payload = Your payload was kept. Pick a template to start from this push type's usual payload.
compose-headers = Headers
compose-priority = Priority
compose-expiration = Expiration
compose-collapse-id = Collapse id
compose-apns-id = apns-id
compose-new-id = New apns-id
compose-send = Send
compose-sending = Sending…
compose-send-hint = Ctrl+Enter (⌘+Enter on a Mac) sends too.
compose-curl = Copy as curl
compose-curl-done = Copied. The passphrase and provider token are left as $PEM_PASSPHRASE and $PROVIDER_TOKEN.
compose-curl-local = For the local simulator, save its CA as simulator-ca.pem with Export CA… on the Simulator screen.
compose-response = Response
compose-guide = First run: send a push in four steps, no Apple account needed
compose-hide-guide = Hide the guide

## batch/mod.rs

batch-heading = Batch
batch-intro = Send the notification from Compose & Send to many devices: one result per token, dead tokens listed so you can remove them from your database.
batch-paste = Tokens, one per line (a name after the token is optional)
batch-import = Import file…
batch-import-path = Token file path
batch-load = Load file
batch-clear-import = Remove imported file
batch-saved = Saved devices and groups
batch-send = Send batch
batch-cancel = Cancel batch
batch-filter = Filter results
batch-show = Show
batch-dead = Dead tokens
batch-unconfirmed-hint = Unconfirmed: sent, but no answer came, so APNs may or may not have them. They were not sent again, so no phone shows a push twice; turn on "Resend unconfirmed" if a duplicate is better than a loss.
batch-wrong-environment = Most tokens got BadDeviceToken: the environment is probably wrong, not the tokens (apps run from Xcode get sandbox tokens; TestFlight and App Store builds, production ones). Do not delete them.
batch-probe-other = Try one token in the other environment
batch-bad-tokens-hint = got BadDeviceToken: malformed, or from the other environment. Check them; do not delete them.
batch-resend-unconfirmed = Resend unconfirmed
batch-resend-unconfirmed-hint = Send pushes that got no answer again. The phone may then show one twice; off, they are reported unconfirmed.
batch-dead-hint = APNs says these tokens will never work again (app deleted, notifications turned off, or the token expired). Remove them from your database.
batch-export = Export…
batch-export-what = Export
batch-export-path = Export path
batch-save-to-path = Save to path
batch-summary = Summary
batch-connections = Connections
batch-in-flight = Most in flight per connection
batch-settings-hint = More connections spread the load, as Apple suggests; the server may allow fewer pushes in flight than asked.

## connection/mod.rs

connection-heading = Connection
connection-intro = Choose where pushes go and which credential proves who you are, then check the connection step by step: the tutorials' telnet and openssl s_client, with a sentence for every failure.
connection-where = Send to
connection-credential = Credential
connection-port = Port
connection-port-443 = 443 (HTTPS)
connection-port-2197 = 2197 (when a firewall blocks 443)
connection-custom-host = Host and port
connection-custom-ca = CA file (PEM, optional)
connection-key-id = Key id
connection-team-id = Team id
connection-bundle-id = App bundle id
connection-check = Check connection
connection-checking = Checking…
connection-check-hint = Looks up the host, connects, shakes hands with TLS and HTTP/2, then sends a request that cannot reach a device: each step timed, and on failure what to do.
connection-passed = Connection works
connection-failed = The connection check failed
connection-details = Server certificate chain and HTTP/2 settings
connection-no-credentials = No usable credential yet. Import one on the Credentials screen, or make a test certificate for the local simulator:
connection-generate = Generate a test certificate
connection-sim-not-running = The local simulator is not running — start it on the Simulator screen.
connection-choose-credential = Choose a credential first: import one on the Credentials screen, or generate a test certificate.

## simulator/mod.rs

simulator-heading = Simulator
simulator-intro = A local APNs server inside pushlab. It answers like Apple's servers, trusts the test certificates made on the Credentials screen, and shows what a phone would have displayed.
simulator-running = Running
simulator-stopped = Stopped
simulator-starting = Starting…
simulator-start = Start simulator
simulator-stop = Stop simulator
simulator-apply = Apply and restart
simulator-environment = Environment
simulator-port = Port
simulator-port-hint = 0 picks a free port
simulator-faults = Injected failures
simulator-faults-hint = For testing how your sender copes. Changes apply when the simulator restarts.
simulator-error-share = Share of requests refused (%)
simulator-error-reason = Refused with
simulator-goaway = GOAWAY after this many requests per connection (0: never)
simulator-latency = Extra latency per answer (ms)
simulator-reset-processed = Deliver, then reset without an answer: every Nth push (0: never)
simulator-drop-processed = Drop the connection after delivering this many pushes, unanswered (0: never)
simulator-unanswered-hint = Pushes that arrive but get no answer: the sender must report them unconfirmed, never delivered, and not send them twice.
simulator-export-ca = Export CA…
simulator-export-path = CA file path
simulator-save-ca = Save CA to path
simulator-export-hint = Clients that talk to the simulator must trust this CA (curl --cacert, pushlab --ca).
simulator-inbox = Inbox
simulator-clear = Clear inbox
simulator-empty-inbox = Nothing delivered yet. Send a push on the Compose screen and it shows up here.
simulator-silent = Silent push — the app is woken in the background, the user sees nothing
simulator-voip = VoIP push — the app is woken to report an incoming call
simulator-live-activity = Live Activity push — the Lock Screen activity changes
simulator-widgets = Widget push — the app's widgets reload their content
simulator-other-quiet = push — handled by the app, nothing is shown
simulator-not-running-for-ca = Start the simulator first: its CA is read when it runs.

## history.rs

history-heading = History
history-search = Search history
history-empty = Nothing sent yet. Every push sent from Compose & Send is kept here, with its answer.
history-no-match = No send matches the search.
history-resend = Send again
history-load = Open in Compose
history-clear = Clear history
history-request = Request
history-pick = Choose a send on the left to see its request and answer.
history-batch-result = Batch result
history-batch-sample = First tokens not delivered

## widgets/replace_prompt.rs

replace-replace = Replace
replace-cancel = Cancel
replace-hint = Replacing it cannot be undone.
