# pushlab，简体中文。与 i18n/en/pushlab.ftl 的 id 一一对应（tests/i18n_messages.rs 会检查）。
# Apple 的原因字符串（如 Unregistered、BadDeviceToken）保持原样，不翻译。

## Navigation and settings (app/nav.rs, theme.rs)

nav-logo = Pushlab 标志
nav-group-set-up = 设置
nav-group-send = 推送
nav-group-test = 测试
nav-credentials = 凭据
nav-connection = 连接
nav-compose = 撰写与发送
nav-batch = 批量发送
nav-channels = 频道
nav-history = 历史记录
nav-simulator = 模拟器
nav-appearance = 外观
appearance-system = 跟随系统
appearance-light = 浅色
appearance-dark = 深色
nav-language = 语言
nav-language-system = 跟随系统（{ $language }）
nav-drop-one = 松开即可导入此文件
nav-drop-many = 松开即可导入这 { NUMBER($count) } 个文件
nav-drop-kinds = 证书（.cer）、密钥（.pem、.key）、.p12 和 .p8 文件

## Fonts (fonts.rs)

fonts-missing-cjk = 未找到中日韩文字体，中文、日文和韩文会显示为方框。请安装 CJK 字体（例如 Noto Sans CJK）以显示这些文字。
fonts-missing-other = 此系统上有些文字（阿拉伯文、希伯来文等）没有字体，会显示为方框。请安装 Noto Sans 或 DejaVu Sans 以显示这些文字。
fonts-hide-note = 隐藏
fonts-language-needs-cjk = 中文界面需要 CJK 字体（例如 Noto Sans CJK）；安装之前应用保持英文。

## compose/mod.rs

compose-heading = 撰写与发送
compose-token = 设备令牌
compose-token-hint = 粘贴应用记录的令牌，任何格式均可
compose-saved-devices = 已保存的设备
compose-no-devices = 没有已保存的设备
compose-save-device = 保存设备…
compose-device-name = 设备名称
compose-device-group = 分组
compose-save = 保存
compose-forget = 移除此设备
compose-demo = 使用演示设备
compose-demo-device-name = 演示 iPhone（模拟器）
compose-demo-device-group = 演示
compose-device-in-group = { $name } — { $group }（{ $environment }）
compose-device-alone = { $name }（{ $environment }）
compose-push-type = 推送类型
compose-template = 模板
compose-template-alert-title = 你好
compose-template-alert-body = 由 pushlab 发送
compose-template-rich-title = 来自 Alice 的照片
compose-template-rich-body = 轻点查看
compose-template-order-title = 已下单
compose-template-order-body = 我们正在准备你的订单
compose-template-smoke-title = 检测到烟雾
compose-template-smoke-body = 厨房
compose-bundle = Bundle ID
compose-form = 表单
compose-json = JSON
compose-payload = 负载 JSON
compose-kept-payload = 已保留你的负载。选择一个模板即可从此推送类型的常用负载开始。
compose-json-only = { $type } 推送没有可填写的提醒：它的负载以 JSON 编写。
compose-headers = 标头
compose-priority = 优先级
compose-expiration = 过期时间
compose-collapse-id = 折叠 ID
compose-apns-id = apns-id
compose-new-id = 新的 apns-id
compose-send = 发送
compose-sending = 正在发送…
compose-send-hint = 也可按 Ctrl+Enter（Mac 上为 Cmd+Enter）发送。
compose-curl = 复制为 curl
compose-curl-done = 已复制。口令和提供者令牌保留为 $PEM_PASSPHRASE 和 $PROVIDER_TOKEN。
compose-curl-local = 使用本地模拟器时，请在“模拟器”页面用“导出 CA…”将其 CA 保存为 simulator-ca.pem。
compose-response = 响应
compose-guide = 首次使用：四步发送一条推送，无需 Apple 账号
compose-hide-guide = 隐藏向导

## batch/mod.rs

batch-heading = 批量发送
batch-intro = 将“撰写与发送”中的通知发送到多台设备：每个令牌一条结果，失效令牌单独列出，便于从数据库中删除。
batch-paste = 令牌，每行一个（令牌后可附名称）
batch-import = 导入文件…
batch-import-path = 令牌文件路径
batch-load = 载入文件
batch-clear-import = 移除已导入的文件
batch-saved = 已保存的设备和分组
batch-send = 开始批量发送
batch-cancel = 取消批量发送
batch-filter = 筛选结果
batch-show = 显示
batch-dead = 失效令牌
batch-unconfirmed-hint = 未确认：已发送但没有收到应答，APNs 可能收到也可能没收到。为避免手机重复显示，它们没有被重发；如果重复比丢失更好，请打开“重发未确认的推送”。
batch-wrong-environment = 大多数令牌收到 BadDeviceToken：很可能是环境选错了，而不是令牌有问题（从 Xcode 运行的应用使用沙盒令牌；TestFlight 和 App Store 版本使用生产令牌）。请不要删除它们。
batch-probe-other = 在另一个环境中试一个令牌
batch-bad-tokens-hint = 收到 BadDeviceToken：格式错误，或属于另一个环境。请检查，不要删除。
batch-resend-unconfirmed = 重发未确认的推送
batch-resend-unconfirmed-hint = 再次发送没有收到应答的推送。手机可能因此显示两次；关闭时它们报告为未确认。
batch-dead-hint = APNs 表示这些令牌再也不会有效（应用已删除、通知已关闭或令牌已过期）。请从数据库中删除它们。
batch-export = 导出…
batch-export-what = 导出
batch-export-path = 导出路径
batch-save-to-path = 保存到路径
batch-summary = 汇总
batch-connections = 连接数
batch-auto-connections = 按需增加
batch-auto-connections-hint = 从一个连接开始；当每个连接都已满、且应答在等待网络而不是这台电脑时，再增加一个，最多到所设的数目（所设为 1 时为 8）。Apple 的服务器较远时，批量发送因此更快，又不会打开用不上的连接。
batch-in-flight = 每个连接最多同时发送
batch-settings-hint = 按 Apple 的建议，多个连接可以分摊负载；服务器允许的同时发送数可能少于所请求的。

## connection/mod.rs

connection-heading = 连接
connection-intro = 选择推送发往何处、用哪个凭据证明身份，然后逐步检查连接：相当于教程里的 telnet 和 openssl s_client，每种失败都有说明。
connection-where = 发送到
connection-credential = 凭据
connection-port = 端口
connection-port-443 = 443（HTTPS）
connection-port-2197 = 2197（防火墙屏蔽 443 时）
connection-custom-host = 主机和端口
connection-custom-ca = CA 文件（PEM，可选）
connection-key-id = 密钥 ID
connection-id-hint = 10 位字母和数字
connection-key-id-from-file = 取自文件名（AuthKey_<key id>.p8）；输入其他值可替换
connection-team-id = 团队 ID
connection-bundle-id = 应用 Bundle ID
connection-check = 检查连接
connection-checking = 正在检查…
connection-check-hint = 查找主机、建立连接、完成 TLS 和 HTTP/2 握手，再发送一个不会到达设备的请求：每一步都计时，失败时告诉你该怎么做。
connection-check-caveat = 探测请求使用一个故意无效的设备令牌，因此不会投递任何推送。BadDeviceToken 表明连接和凭据已被接受；但它不能证明主题正确，因为 Apple 没有说明 APNs 是否先检查主题再检查令牌。
connection-passed = 连接正常
connection-failed = 连接检查失败
connection-details = 服务器证书链和 HTTP/2 设置
connection-no-credentials = 还没有可用的凭据。请在“凭据”页面导入，或为本地模拟器生成测试证书：
connection-generate = 生成测试证书
connection-sim-not-running = 本地模拟器没有运行——请在“模拟器”页面启动它。
connection-choose-credential = 请先选择凭据：在“凭据”页面导入，或生成测试证书。

## simulator/mod.rs

simulator-heading = 模拟器
simulator-intro = pushlab 内置的本地 APNs 服务器。它像 Apple 的服务器一样应答，信任“凭据”页面生成的测试证书，并显示手机上会出现的内容。
simulator-running = 运行中
simulator-stopped = 已停止
simulator-starting = 正在启动…
simulator-start = 启动模拟器
simulator-stop = 停止模拟器
simulator-apply = 应用并重启
simulator-apply-live = 应用
simulator-applied-live = 已应用到运行中的模拟器：收件箱和地址保持不变。
simulator-environment = 环境
simulator-port = 端口
simulator-port-hint = 0 表示自动选择空闲端口
simulator-faults = 注入故障
simulator-faults-hint = 用于测试你的发送程序如何应对。故障设置会立即应用到运行中的模拟器；更改端口或环境会重启它，收件箱保留（与 Apple 一样，换环境后频道从空开始）。
simulator-error-share = 拒绝请求的比例（%）
simulator-error-reason = 拒绝原因
simulator-goaway = 每个连接在这么多请求后发送 GOAWAY（0：从不）
simulator-latency = 每个应答额外延迟（毫秒）
simulator-reset-processed = 投递后不应答直接重置：每第 N 条推送（0：从不）
simulator-drop-processed = 投递这么多条推送后断开连接且不应答（0：从不）
simulator-unanswered-hint = 已到达但没有应答的推送：发送方必须报告为未确认，不能报告为已投递，也不能发送两次。
simulator-answer-from-headers = 只凭请求头应答，不等请求体
simulator-answer-from-headers-hint = 仅凭请求头就能判定的推送（令牌或路径无效、主题不对、凭证被拒、注入的错误）在读取请求体之前就会得到应答，请求体随后被中止（RST_STREAM NO_ERROR），HTTP/2 前端可能这样做。发送方必须采用这个应答，不能再次发送该推送。
simulator-export-ca = 导出 CA…
simulator-export-path = CA 文件路径
simulator-save-ca = 将 CA 保存到路径
simulator-export-hint = 与模拟器通信的客户端必须信任此 CA（curl --cacert、pushlab --ca）。
simulator-inbox = 收件箱
simulator-clear = 清空收件箱
simulator-empty-inbox = 还没有投递任何内容。在“撰写”页面发送推送后，它会出现在这里。
simulator-silent = 静默推送——应用在后台被唤醒，用户看不到任何内容
simulator-voip = VoIP 推送——应用被唤醒以报告来电
simulator-live-activity = 实时活动推送——锁定屏幕上的活动随之更新
simulator-widgets = 小组件推送——应用的小组件重新载入内容
simulator-other-quiet = 推送——由应用处理，不显示任何内容
simulator-not-running-for-ca = 请先启动模拟器：它运行时才会读取 CA。

## history.rs

history-heading = 历史记录
history-search = 搜索历史记录
history-empty = 还没有发送任何内容。“撰写与发送”发出的每条推送及其应答都会保存在这里。
history-no-match = 没有匹配搜索的发送记录。
history-resend = 再次发送
history-load = 在“撰写”中打开
history-clear = 清空历史记录
history-request = 请求
history-pick = 在左侧选择一条发送记录，查看其请求和应答。
history-batch-result = 批量发送结果
history-batch-sample = 未投递的前几个令牌

## widgets/replace_prompt.rs

replace-replace = 替换
replace-cancel = 取消
replace-hint = 替换后无法撤销。

## Labels of every screen

app-a-batch-is-still-sending = 批量发送仍在进行
app-state-unreadable-kept = 无法读取上次保存的设置，因此应用以默认设置启动。原来的设置已原样保存在 { $path }。
app-state-unreadable-lost = 无法读取上次保存的设置，因此应用以默认设置启动；原来的设置也无法保存（{ $error }）。
app-closing-now-stops-the-batch = 现在关闭会停止批量发送：剩余的推送不会发送。
app-keep-sending = 继续发送
app-stop-the-batch-and-close = 停止批量发送并关闭
app-pushlab = Pushlab
app-the-other-environment-exists-only = 另一个环境只对 Apple 的服务器有意义：请在“连接”页面选择 Apple 沙盒或生产环境。
batch-dead-tokens-txt = 失效令牌（.txt）
batch-wrong-token-or-environment-txt = 令牌或环境错误（.txt）
batch-unconfirmed-and-not-sent-txt = 未确认和未发送（.txt）
batch-all-results-csv = 全部结果（.csv）
batch-all-results-json = 全部结果（.json）
batch-export-batch-results = 导出批量发送结果
batch-import-device-tokens = 导入设备令牌
batch-740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad-alices-iphone = 740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad 小李的 iPhone
batch-notification = 通知
batch-edit = 编辑…
batch-to = 发往
batch-change = 更改…
batch-results-appear-here-while-the = 批量发送进行时，结果会显示在这里。
batch-sending = 正在发送…
batch-export-the-full-list-below = …完整列表请在下方导出。
batch-all = 全部
batch-delivered = 已投递
batch-rejected = 被拒绝
batch-unconfirmed = 未确认
batch-not-sent = 未发送
batch-invalid-input = 无效输入
batch-wrong-token-or-environment = 令牌或环境错误
batch-token-name-or-reason = 令牌、名称或原因
batch-device = 设备
batch-status = 状态
batch-reason = 原因
batch-latency = 延迟
compose-this-devices-token-is = 此设备的令牌
compose-alices-iphone = 小李的 iPhone
compose-shared-bobs-ipad = 共享：小王的 iPad
compose-sandbox = 沙盒
compose-cancel = 取消
compose-badge = 角标
compose-set-the-badge = 设置角标
compose-interruption-level = 中断级别
compose-content-available-wake-the-app = content-available（在后台唤醒应用）
compose-mutable-content-let-a-service = mutable-content（允许服务扩展修改内容）
compose-make-a-test-certificate = 生成测试证书
compose-generate-a-test-certificate = 生成测试证书
compose-check-the-connection = 检查连接
compose-check = 检查
compose-send-to-the-demo-device = 发送到演示设备
compose-see-it-in-the-simulators = 在模拟器收件箱中查看
compose-open-simulator = 打开模拟器
compose-choose = 选择…
compose-the-json-does-not-parse = JSON 无法解析，表单无法显示：请在 JSON 视图中修正。
compose-format-json = 格式化 JSON
compose-compact-json = 压缩 JSON
compose-200-delivered = 200 已投递
compose-no-answer = 没有应答
compose-status = 状态
compose-latency = 延迟
compose-topic = 主题
compose-sent-to = 发送到
compose-to = 发往
compose-change = 更改…
compose-from-the-certificate = 取自证书
compose-10-immediately = 10——立即
compose-5-when-power-allows = 5——电量允许时
compose-1-lowest-may-be-grouped = 1——最低，可能被合并
compose-0-now-or-never = 0（立即或放弃）
compose-now = 现在 +
compose-at-unix-time = 于（UNIX 时间）
compose-optional-up-to-64-bytes = 可选，最多 64 字节
compose-empty-apns-makes-one = 留空：由 APNs 生成
compose-alert = 提醒
compose-badge-only = 仅角标
compose-silent-background = 静默 / 后台
compose-voip-call = VoIP 来电
compose-rich-mutable-content = 富媒体（mutable-content）
compose-live-activity-start = 实时活动：开始
compose-live-activity-update = 实时活动：更新
compose-live-activity-end = 实时活动：结束
compose-widgets = 小组件
compose-critical-alert = 紧急提醒
connection-addresses = 地址
connection-settings-max-concurrent-streams = SETTINGS_MAX_CONCURRENT_STREAMS
connection-tls = TLS
connection-client-certificate-sent = 已发送客户端证书
connection-subject = 主体
connection-issuer = 颁发者
connection-expires-in = 剩余有效期
connection-probe-answer = 探测应答
connection-local-simulator = 本地模拟器
connection-apple-sandbox = Apple 沙盒
connection-apple-production = Apple 生产环境
connection-custom-host-2 = 自定义主机
connection-runs-inside-pushlab-no-apple = 在 pushlab 内运行；无需 Apple 账号
connection-api-sandbox-push-apple-com = api.sandbox.push.apple.com——从 Xcode 运行的应用
connection-api-push-apple-com-testflight = api.push.apple.com——TestFlight 和 App Store 版本
connection-a-company-gateway-or-pushlab = 公司网关，或另一台机器上的 pushlab sim
connection-local-simulator-not-running = 本地模拟器（未运行）
connection-type-your-team-id-10 = 请输入团队 ID（10 个字符，见开发者网站的“会员资格”页面）。
connection-simulator = 模拟器：
connection-open-simulator = 打开模拟器
connection-use = 使用
connection-token-based-pushlab-signs-a = 基于令牌：pushlab 用此密钥签发提供者令牌。
connection-this-is-a-development-sandbox = 这是开发（沙盒）证书：Apple 的生产服务器会拒绝它。请发送到沙盒，或使用生产证书。
connection-this-is-a-production-certificate = 这是生产证书：Apple 的沙盒会拒绝它。请发送到生产环境，或使用开发证书。
credentials-add-a-credential = 添加凭据
credentials-pushlab-reads-what-apple-and = Pushlab 能读取 Apple 和“钥匙串访问”提供的文件：
credentials-the-push-certificate-from-the = •  开发者网站的推送证书（aps.cer）
credentials-the-p12-exported-from-keychain = •  从钥匙串导出的 .p12，有无口令均可
credentials-a-pem-file-cert-pem = •  PEM 文件（cert.pem、key.pem 或合并的 ck.pem）
credentials-an-apns-auth-key-authkey = •  用于基于令牌推送的 APNs 认证密钥（AuthKey_XXXXXXXXXX.p8）
credentials-drop-them-onto-this-window = 将它们拖到此窗口，用“选择文件…”选择，或输入路径。一起拖入的证书和密钥会合成一个凭据。
credentials-no-apple-account-yet-issue = 还没有 Apple 账号？用模拟器的 CA 签发测试证书，用内置模拟器走完整个流程。
credentials-new-test-certificate = 新建测试证书或密钥…
credentials-unlock = 解锁
credentials-remove-from-list = 从列表中移除
credentials-try-again = 重试
credentials-bundle-id = Bundle ID
credentials-team-id = 团队 ID
credentials-topics = 主题
credentials-environment = 环境
credentials-valid-from = 生效时间
credentials-valid-until = 失效时间
credentials-days-left = 剩余天数
credentials-subject = 主体
credentials-issuer = 颁发者
credentials-serial = 序列号
credentials-sha-1 = SHA-1
credentials-sha-256 = SHA-256
credentials-public-key = 公钥
credentials-private-key = 私钥
credentials-key-id = 密钥 ID
credentials-curve = 曲线
credentials-token-signing = 令牌签名
credentials-not-usable-for-apns-tokens = 不能用于 APNs 令牌
credentials-p12-encryption = .p12 加密
credentials-also-in-the-file = 文件中还有
credentials-file = 文件
credentials-key-file = 密钥文件
credentials-certificate-key = 证书 + 密钥
credentials-certificate-only = 仅证书
credentials-key-only = 仅密钥
credentials-auth-key-p8 = 认证密钥（.p8）
credentials-no-save-dialog-could-be = 此桌面无法打开保存对话框（需要 xdg-desktop-portal 或 zenity）。请在下方字段中输入路径。
credentials-combined-pem-cert-key = 合并 PEM（证书 + 密钥）
credentials-certificate-pem = 证书 PEM
credentials-key-pem = 密钥 PEM
credentials-this-entry-has-no-certificate = 此条目没有可导出的证书。
credentials-export-credential = 导出凭据
credentials-export = 导出
credentials-without-the-private-key-only = 没有私钥时只能导出证书。请同时导入密钥或 .p12：它们会自动配对。
credentials-certificate-then-key-as-php = 先证书后密钥，PHP、Ruby 和 Node 脚本需要这种格式（ck.pem）。仅所有者可读写（0600）。
credentials-the-certificate-alone-cert-pem = 仅证书（cert.pem），不含机密。
credentials-the-private-key-alone-key = 仅私钥（key.pem）。仅所有者可读写（0600）。
credentials-aes-256-with-a-sha = AES-256 加 SHA-256 MAC，适用于当前的 macOS 和 OpenSSL 3。
credentials-rc2-3des-with-a-sha = RC2/3DES 加 SHA-1 MAC，适用于旧版钥匙串和不支持 AES 的工具。
credentials-export-passphrase-optional = 导出口令（可选）
credentials-save-as = 另存为…
credentials-or-type-a-path = 或输入路径：
credentials-save-to-path = 保存到路径
credentials-save = 保存
credentials-type-where-to-save-the = 请输入保存位置，或使用“另存为…”。
credentials-writing = 正在写入…
credentials-there-is-no-data-folder = 此系统上没有 pushlab 的数据文件夹（没有主目录？），测试 CA 无处存放。
credentials-generate-a-test-certificate = 生成测试证书
credentials-issued-by-the-simulators-test = 由模拟器的测试 CA 签发，格式与 Apple 的相同：模拟器接受它，Apple 不接受。
credentials-sandbox-only-like-apps-run = 仅沙盒，如从 Xcode 运行的应用
credentials-testflight-and-app-store-builds = TestFlight 和 App Store 版本
credentials-sandbox-production-with-voip-and = 沙盒和生产环境，含 .voip 和 .complication 主题
credentials-generate-test-certificate = 生成测试证书
credentials-creating-keys = 正在创建密钥…
credentials-type-a-bundle-id-first = 请先输入 Bundle ID。
credentials-a-bundle-id-holds-only = Bundle ID 只能包含字母、数字、点和连字符（不含空格），例如 com.example.doorbell。
credentials-a-bundle-id-has-no = Bundle ID 的点之间不能为空，例如 com.example.doorbell。
credentials-credentials = 凭据
credentials-push-certificates-keys-p12-and = 推送证书、密钥、.p12 和 .p8 文件。可将文件拖到窗口任意位置。
credentials-choose-files = 选择文件…
credentials-file-path = 文件路径
credentials-path-to-push-p12 = /path/to/Push.p12
credentials-import = 导入
credentials-no-credentials-yet = 还没有凭据。
credentials-reading = 正在读取…
credentials-passphrase-needed = 🔒 需要口令
credentials-could-not-be-read = ⚠ 无法读取
credentials-problem = ⚠ 有问题
credentials-import-credentials = 导入凭据
credentials-certificates-and-keys = 证书和密钥
credentials-no-file-dialog-could-be = 此桌面无法打开文件对话框（需要 xdg-desktop-portal 或 zenity）。请在下方输入文件路径，或将文件拖到此窗口。
dialogs-all-files = 所有文件
history-device-token-title-reason-topic = 设备、令牌、标题、原因、主题
history-keep-them = 保留
simulator-export-the-simulators-ca = 导出模拟器的 CA
simulator-ca-certificate = CA 证书
widgets-copy = 复制
connection-chip-sandbox = 沙盒
connection-chip-production = 生产环境
connection-chip-universal = 沙盒 + 生产环境
credentials-p12-legacy = .p12（旧格式）
credentials-type-the-bundle-id = 请输入应用的 Bundle ID，例如 com.example.doorbell。
credentials-saved-to = 已保存到 { $path }
simulator-saved-ca-to = 已将 CA 保存到 { $path }。
batch-saved-to = 已保存 { $path }。
dialogs-no-file-dialog = 此桌面没有可用的文件对话框——请在字段中输入路径，然后按旁边的按钮。
credentials-usable-for-es256-tokens = 可用于 ES256 令牌

## Counts, plurals and values

compose-byte-meter = { NUMBER($size) } / { NUMBER($limit) } 字节
app-closing-with-progress = { NUMBER($total) } 条推送中已有 { NUMBER($done) } 条收到应答。现在关闭会停止批量发送：剩余的推送不会发送。
history-kept = 已保留 { NUMBER($count) } 条记录（保留最新的 { NUMBER($limit) } 次发送和 { NUMBER($batches) } 次批量发送，更早的会被删除）
history-replace-draft = 这会替换“撰写与发送”中当前的通知。
history-replace = 替换
history-replace-and-send = 替换并发送
history-keep-draft = 保留我的
history-forget-all = 清除全部 { NUMBER($count) } 次发送？
batch-count-delivered = { NUMBER($count) } 条已投递
batch-count-rejected = { NUMBER($count) } 条被拒绝
batch-count-unconfirmed = { NUMBER($count) } 条未确认
batch-count-not-sent = { NUMBER($count) } 条未发送
batch-count-invalid = { NUMBER($count) } 条无效输入
batch-count-no-answer = { NUMBER($count) } 条没有应答
batch-count-dead = { NUMBER($count) } 个失效令牌
batch-count-wrong-environment = { NUMBER($count) } 个令牌或环境错误
batch-count-of-total = 共 { NUMBER($count) } 条
history-row-device = 设备
history-row-token = 令牌
history-row-push-type = 推送类型
history-row-topic = 主题
history-row-credential = 凭据
history-row-priority = 优先级
history-row-collapse-id = 折叠 ID
history-sent-to = 发送到 { $destination }
widgets-hide = 隐藏
widgets-show = 显示
widgets-hide-field = 隐藏{ $field }
widgets-show-field = 显示{ $field }
widgets-copy-field = 复制{ $field }
replace-exists = { $name } 已存在。要替换吗？
replace-in-folder = 位于 { $folder }。替换后无法撤销。
batch-time-left = {" "}· 约剩 { $time }
batch-finished = 用时 { $seconds } 秒完成，共 { NUMBER($connections) } 个连接，重试 { NUMBER($retries) } 次。
batch-stopped = { $seconds } 秒后停止，共 { NUMBER($connections) } 个连接，重试 { NUMBER($retries) } 次：{ $why }。
duration-seconds = { $s } 秒
duration-minutes = { $min } 分 { $s } 秒
duration-hours = { $h } 小时 { $min } 分
batch-tokens-entered = 已输入 { NUMBER($count) } 个令牌
batch-imported-file = { $name } · { NUMBER($count) } 个令牌
batch-rows-shown = 显示 { NUMBER($shown) } / { NUMBER($count) } 行
batch-rows-unlisted = 另有 { $count } 条结果已计入摘要，但未列出也未导出：为限制内存，表格只保留前 { $delivered } 条已送达的结果，总共最多 { $max } 条。`pushlab batch --json` 会列出每一条。
batch-sort-by = 按{ $column }排序
credentials-chip-token = 令牌
credentials-chip-universal = 通用
credentials-chip-not-apns = 非 APNs 证书
credentials-expired = 已过期
credentials-days-left-count = { NUMBER($days) } 天后过期
credentials-show-entry = 显示 { $name }
fix-prefix = 解决方法：{ $fix }
connection-step-running = { $step }——进行中
connection-step-not-run = { $step }——未运行
connection-step-dns = DNS 查询
connection-step-tcp = TCP 连接
connection-step-tls = TLS 握手
connection-step-http2 = HTTP/2 会话
connection-step-auth = 认证请求
connection-step-passed = 通过
connection-step-failed = 失败
connection-step-skipped = 跳过
connection-step-status = { $step }——{ $status }

## Apple reasons: meaning and fix (apns/reason.rs, explained in gui/i18n/reasons.rs)

reason-bad-collapse-id-meaning = 折叠 ID 超过 64 字节。
reason-bad-collapse-id-fix = 将 apns-collapse-id 缩短到 64 字节以内。
reason-bad-device-token-meaning = 设备令牌无效，或属于另一个环境。
reason-bad-device-token-fix = 检查令牌；从 Xcode 运行的应用的令牌只能用于沙盒，TestFlight/App Store 的令牌只能用于生产环境。
reason-bad-expiration-date-meaning = apns-expiration 的值无效。
reason-bad-expiration-date-fix = 发送以秒为单位的 UNIX 时间，或用 0 表示只尝试一次。
reason-bad-message-id-meaning = apns-id 的值不是有效的 UUID。
reason-bad-message-id-fix = 使用小写的 8-4-4-4-12 格式 UUID，或不发送 apns-id。
reason-bad-priority-meaning = apns-priority 的值无效。
reason-bad-priority-fix = 使用 10（立即）、5（省电）或 1；后台推送必须使用 5。
reason-bad-topic-meaning = apns-topic 无效。
reason-bad-topic-fix = 使用 Bundle ID，加上推送类型所需的后缀（例如 .voip），并确保证书或密钥涵盖它。
reason-device-token-not-for-topic-meaning = 设备令牌不属于此主题。
reason-device-token-not-for-topic-fix = 发送到 Bundle ID 与主题一致的应用的令牌。
reason-duplicate-headers-meaning = 某个标头被发送了多次。
reason-duplicate-headers-fix = 每个标头只发送一次。
reason-idle-timeout-meaning = 连接空闲时间过长。
reason-idle-timeout-fix = 打开新连接；在空闲连接上发送 PING。
reason-invalid-push-type-meaning = apns-push-type 的值无效。
reason-invalid-push-type-fix = 使用 alert、background、complication、controls、fileprovider、liveactivity、location、mdm、pushtotalk、voip、widgets 之一。
reason-missing-device-token-meaning = 请求路径中没有设备令牌。
reason-missing-device-token-fix = 发送到 /3/device/<token>。
reason-missing-topic-meaning = 缺少必需的 apns-topic 标头。
reason-missing-topic-fix = 添加 apns-topic（使用多主题证书和令牌认证时始终必需）。
reason-payload-empty-meaning = 请求没有负载。
reason-payload-empty-fix = 发送 JSON 负载，至少为 {"{"}"aps":{"{"}{"}"}{"}"}。
reason-topic-disallowed-meaning = 不允许推送到此主题。
reason-topic-disallowed-fix = 确认该主题是你的应用可以推送的主题。
reason-topic-disallowed-over-certificate-fix = Apple 只通过基于令牌的连接接受 { $push_type } 推送：请改用认证密钥（.p8）而不是证书发送。
reason-missing-channel-id-meaning = 缺少 apns-channel-id 头。
reason-missing-channel-id-fix = 在 apns-channel-id 中发送创建频道时 APNs 返回的频道 ID。
reason-bad-channel-id-meaning = apns-channel-id 的值不是有效的频道 ID。
reason-bad-channel-id-fix = 按 APNs 返回的原样发送频道 ID：base64 文本，包括末尾的填充。
reason-channel-not-registered-meaning = 此应用在此环境中没有这个 ID 的频道。
reason-channel-not-registered-fix = 频道属于一个应用和一个环境：先列出所有频道，或在此环境中创建该频道。
reason-cannot-create-channel-config-meaning = 此应用的频道数已达上限。
reason-cannot-create-channel-config-fix = 删除不再使用的频道（先列出它们），然后再创建。
reason-feature-not-enabled-meaning = 此应用未启用广播推送通知。
reason-feature-not-enabled-fix = 在开发者网站上为该应用的标识符启用 Broadcast 功能。
reason-missing-push-type-meaning = 缺少 apns-push-type 头。
reason-missing-push-type-fix = 每次广播都要发送 apns-push-type: liveactivity。
reason-bad-request-params-meaning = 频道请求中有缺失、未知或无效的参数。
reason-bad-request-params-fix = 创建频道时只给两个属性：message-storage-policy（0 或 1）和 push-type（LiveActivity）。
reason-bad-request-payload-meaning = 频道请求的正文不是有效的 JSON。
reason-bad-request-payload-fix = 发送一个 JSON 对象，例如 {"{"}"message-storage-policy":1,"push-type":"LiveActivity"{"}"}。
reason-topic-mismatch-meaning = 证书或密钥属于请求路径中那个应用以外的另一个应用。
reason-topic-mismatch-fix = 使用这些频道所属应用的证书或密钥，或者填写证书自己的应用。
reason-bad-certificate-meaning = 客户端证书无效。
reason-bad-certificate-fix = 使用 Apple 开发者网站的推送证书及其私钥。
reason-bad-certificate-environment-meaning = 客户端证书属于另一个环境。
reason-bad-certificate-environment-fix = 生产环境使用生产（或沙盒和生产）证书，沙盒使用开发证书。
reason-expired-provider-token-meaning = 提供者令牌（JWT）已超过一小时。
reason-expired-provider-token-fix = 生成新令牌；如果令牌是新的，说明这台电脑的时钟不准。
reason-forbidden-meaning = 不允许此操作。
reason-forbidden-fix = 检查密钥或证书是否为此应用启用了推送。
reason-invalid-provider-token-meaning = 提供者令牌无效，或其签名无法验证。
reason-invalid-provider-token-fix = 检查密钥 ID、团队 ID 和 .p8 密钥是否相互匹配。
reason-missing-provider-token-meaning = 既没有发送客户端证书，也没有发送提供者令牌。
reason-missing-provider-token-fix = 用推送证书连接，或发送 authorization: bearer <JWT>。
reason-unrelated-key-id-in-token-meaning = 令牌的密钥 ID 与此连接上首次使用的密钥无关。
reason-unrelated-key-id-in-token-fix = 每个密钥使用单独的连接。
reason-bad-environment-key-id-in-token-meaning = 令牌的密钥属于另一个环境。
reason-bad-environment-key-id-in-token-fix = 使用为此环境配置的密钥，或使用新连接。
reason-bad-path-meaning = 请求路径无效。
reason-bad-path-fix = 发送到 /3/device/<token>。
reason-method-not-allowed-meaning = 只支持 POST。
reason-method-not-allowed-fix = 使用 POST。
reason-expired-token-meaning = 设备令牌已过期。
reason-expired-token-fix = 停止向此令牌发送并将其删除。
reason-unregistered-meaning = 该令牌对此主题已不再有效（应用已删除或通知已关闭）。
reason-unregistered-fix = 停止向此令牌发送，并将其从数据库中删除。
reason-payload-too-large-meaning = 负载过大。
reason-payload-too-large-fix = 负载不要超过 4096 字节（VoIP 为 5120 字节）。
reason-too-many-provider-token-updates-meaning = 提供者令牌更换过于频繁。
reason-too-many-provider-token-updates-fix = 一个令牌重复使用 20 到 60 分钟。
reason-too-many-requests-meaning = 连续向同一设备令牌发送的请求过多。
reason-too-many-requests-fix = 放慢速度，稍后重试。
reason-internal-server-error-meaning = APNs 发生内部错误。
reason-internal-server-error-fix = 稍后退避重试。
reason-service-unavailable-meaning = 服务不可用。
reason-service-unavailable-fix = 稍后退避重试。
reason-shutdown-meaning = APNs 服务器正在关闭。
reason-shutdown-fix = 在新连接上重试。
batch-file-read =
    { $name }：{ NUMBER($count) } 个令牌{ $invalid ->
        [0] {""}
       *[other] ，{ NUMBER($invalid) } 行不是令牌（报告为无效输入）
    }{ $latin1 ->
        [0] {""}
       *[other] ；{ NUMBER($latin1) } 行不是 UTF-8，已按 Latin-1 读取
    }
batch-group = 分组：{ $group }
batch-send-to-count = 开始批量发送到 { NUMBER($count) } 台设备
app-payload-line = { $type } 推送，{ NUMBER($size) } 字节
app-payload-line-errors = { $type } 推送，{ NUMBER($size) } 字节——有错误：请在“撰写与发送”中修正
connection-local-simulator-at = 本地模拟器（{ $addr }）
connection-apple-at-port = { $place }（端口 { $port }）
connection-place-with = { $place }，使用 { $credential }
connection-place-no-credential = { $place }，未选择凭据
compose-token-ok = ✔ { $bytes } 字节令牌
compose-token-ok-tidied = ✔ { $bytes } 字节令牌——已整理粘贴的内容（空格、括号、大小写）
compose-priority-default = 默认（{ $priority }）
compose-expiration-none = 无
compose-field-title = 标题
compose-field-subtitle = 副标题
compose-field-body = 正文
compose-field-sound = 声音
compose-field-category = 类别
compose-field-thread-id = 线程 ID
compose-field-title-hint = 有人在门口
compose-field-subtitle-hint = 前门
compose-field-body-hint = 轻点查看是谁

## Doctor
nav-doctor = 诊断
doctor-heading = 诊断
doctor-intro = 推送为什么没有送达？诊断会用“连接”页选择的凭证和目标，以及“撰写与发送”页的设备令牌、Bundle ID 和负载逐项检查，发送一条测试推送，并首先指出最可能的原因。
doctor-what-you-have = 诊断检查的内容
doctor-no-token = “撰写与发送”页没有设备令牌：诊断会检查除送达以外的一切。
doctor-token-from-compose = 来自“撰写与发送”的设备令牌：{ $token }
doctor-built-with = 手机上的应用是如何构建的？
doctor-build-unknown = 不确定
doctor-build-xcode = 从 Xcode 运行（沙盒令牌）
doctor-build-testflight = TestFlight 或 App Store（生产令牌）
doctor-send-test-push = 向该令牌发送一条测试推送（会显示在手机上）
doctor-probe-other = 如果 APNs 返回 BadDeviceToken，则向另一个环境发送一次，以确定令牌属于哪个环境
doctor-other-env = 另一个环境（主机:端口）
doctor-this-env = 上面的服务器代表
doctor-run = 开始诊断
doctor-running = 检查中…
doctor-verdict = 诊断结论
doctor-fix = 解决办法：{ $fix }
doctor-area-credential = 凭证
doctor-area-token = 设备令牌
doctor-area-payload = 负载与请求头
doctor-area-network = 网络路径
doctor-area-token-auth = 提供者令牌
doctor-area-delivery = 送达
doctor-area-phone = 在手机上
doctor-status-passed = 通过
doctor-status-failed = 失败
doctor-status-warning = 警告
doctor-status-skipped = 跳过
doctor-status-info = 提示
doctor-credentials = 已保存的凭证
doctor-no-credentials = 还没有保存的凭证。
doctor-does-not-expire = 不会过期
doctor-expired = 已过期
doctor-days-left = 剩余 { NUMBER($days) } 天
app-credential-expires = { $name } 将在 { NUMBER($days) } 天后过期：请在推送停止前续期
app-credential-expired = { $name } 已过期：用它推送会在 TLS 握手时失败。请在开发者网站创建新证书。
app-dismiss = 关闭
credentials-paired-with-waiting-key = { $name } 已与创建签名请求时保存的私钥配对：可以直接使用和导出（.p12 或 PEM）。请导出一次以妥善保存。
credentials-new-signing-request = 新建签名请求…
credentials-request-heading = 新建证书签名请求
credentials-request-intro = 在这里完成 Mac 上“钥匙串访问”所做的事：生成 RSA 2048 私钥（保存在 pushlab 的数据文件夹中）和一个上传到 Apple 开发者网站的请求。拿到 Apple 的 .cer 后导入即可，pushlab 会将它与保存的私钥配对。
credentials-request-email = 电子邮件地址
credentials-request-name = 常用名称
credentials-request-country = 国家或地区（两个字母）
credentials-request-path = 请求保存为
credentials-request-create = 创建请求
credentials-request-written = 已写入 { $path }。{ $next }
csr-subject-no-email = 请填写电子邮件地址（“钥匙串访问”也会要求填写）。
csr-subject-not-an-email = “{ $email }”不是电子邮件地址。
csr-subject-no-common-name = 请填写常用名称（“钥匙串访问”使用你的姓名）。
csr-subject-name-too-long = 常用名称超过 { $limit } 个字符，这是证书的上限。
csr-subject-not-a-country = “{ $code }”不是两个字母的国家代码（US、DE、CN）。
credentials-waiting-heading = 等待 Apple 的证书
credentials-waiting-none = 没有等待中的签名请求。
credentials-waiting-remove = 删除…
credentials-waiting-remove-warning = 没有这个私钥，Apple 为该请求签发的证书将无法使用。
credentials-waiting-remove-confirm = 删除私钥
credentials-waiting-keep = 保留
connection-step-proxy = 连接代理
connection-step-tunnel = 通过代理建立隧道
connection-proxy = 代理（可选）
connection-proxy-password = 代理密码
credentials-already-listed = 已在列表中：{ $files }
credentials-expired-days-ago = { NUMBER($days) } 天前已过期
credentials-days = { NUMBER($days) } 天
credentials-key-matches = { $key }，与证书匹配
credentials-key-mismatch = { $key }，与证书不匹配
credentials-no-key = 无
credentials-env-development = 开发
credentials-env-production = 生产
simulator-running-on = 运行于 { $addr }（{ $environment }）
simulator-badge = 角标 { $badge }
simulator-inbox-counts = 已投递 { NUMBER($delivered) } 条，拒绝 { NUMBER($refused) } 条
credentials-reading-file = 正在读取 { $file }…
credentials-wrong-passphrase = { $file } 的口令错误。.p12 的口令是从钥匙串导出时设置的；请重试。
credentials-protected = { $file } 受口令保护。
credentials-passphrase-for = { $file } 的口令
credentials-key-id-value = 密钥 ID { $id }
credentials-unknown = 未知
compose-connect-failed = { $error }（“连接”页面的检查会逐步说明哪里失败）
compose-unconfirmed = 未确认：{ $error }。为避免手机显示两次，没有重发；如果没有收到，请再次发送。
compose-not-sent = 未发送：{ $error }
compose-topic-suffix = { $type } 推送的 apns-topic 会在 Bundle ID 后加上“{ $suffix }”。
compose-json-error-at = 第 { $line } 行第 { $column } 列：{ $error }
compose-json-error-line = 第 { $line } 行：{ $error }
compose-device-left-out = 已保存的设备“{ $name }”未列出：其令牌不可用（{ $why }）。请用正确的令牌重新保存。
credentials-issued-new-ca = 已为 { $bundle } 签发测试证书。为此创建了模拟器的测试 CA；模拟器信任它。
credentials-test-key-name = 测试认证密钥 { $key_id }
credentials-issued-key = 已生成测试认证密钥 { $key_id }（.p8）。模拟器在首次使用时信任它；团队 ID 任取 10 位字母或数字即可。
credentials-test-key-heading = 基于令牌的连接
credentials-test-key-hint = 与 Apple 发放的相同格式的测试认证密钥（.p8），用于在模拟器上演练基于令牌的连接（实时活动需要它）。只有模拟器接受它。
credentials-generate-test-key = 生成测试认证密钥
credentials-issued = 已为 { $bundle } 签发测试证书。
connection-auth-key-empty = 此认证密钥文件中没有密钥。
connection-type-key-id = 请输入认证密钥的密钥 ID（10 个字符，见开发者网站的“密钥”页面）。
batch-token-of-one = { $name } 的令牌
batch-tokens-of-some = { $names } 和 { $last } 的令牌
batch-tokens-of-many = { $names } 以及另外 { NUMBER($more) } 台设备的令牌
connection-no-bundle-id = 请输入应用的 Bundle ID（它会成为 apns-topic）：认证密钥适用于团队的所有应用，所以无法从中得知是哪一个。
connection-wrong-environment = { $subject }来自 { $device }；{ $destination } 会应答 BadDeviceToken。
connection-no-private-key = { $name } 没有私钥：请同时导入密钥文件。
batch-add-tokens-first = 请先添加令牌：粘贴、导入文件，或选择已保存的设备。
batch-connect-retrying = 无法连接（正在重试）：{ $error }
simulator-trusted-keys = 受信任的认证密钥：{ $keys }
history-batch-chip = 批量
history-batch-cancelled = 已取消
connection-certificate-n = 证书 { $n }

## 频道（iOS 18 广播频道）
channels-heading = 广播频道
channels-intro = iOS 18 和 iPadOS 18：在频道上推送一次，就能更新所有订阅该频道的设备上的实时活动。频道属于一个应用和一个环境。
channels-app = 应用（Bundle ID）
channels-app-hint = Bundle ID，例如 com.example.scores
channels-storage-policy = 消息存储
channels-policy-no-storage = 不存储：离线设备会错过更新
channels-policy-most-recent = 存储最新一条：离线设备上线后收到最新推送
channels-create = 创建频道
channels-list = 列出频道
channels-working = 正在请求 APNs…
channels-known = 频道
channels-none-known = 还没有频道：创建一个，或列出该应用的频道。
channels-use = 用于广播
channels-use-hover = 在 { $channel } 上广播
channels-read = 读取设置
channels-delete = 删除…
channels-confirm-delete = 删除频道 { $channel }？删除后无法恢复，订阅的设备将不再收到该频道的更新。
channels-delete-confirmed = 删除频道
channels-keep = 保留
channels-broadcast-heading = 广播
channels-broadcast-intro = 一条实时活动更新，只发送一次，送达所有订阅该频道的设备。
channels-channel-id = 频道 ID
channels-priority = 优先级
channels-expiration-zero = apns-expiration：0 — APNs 要求广播带上它，而 0（不存储）是每个频道都接受的值
channels-payload = 实时活动负载
channels-stamp-now = 发送时将时间戳设为当前时间（设备会忽略比已有内容更旧的更新）
channels-send-broadcast = 发送广播
channels-no-connection = 无法连接：{ $why }
channels-unconfirmed = 已发送，但没有收到回应：{ $why }。没有重发；请先确认，再决定是否再发一次。
channels-not-sent = 未发送：{ $why }
channels-created = 已创建频道 { $channel }：把这个 ID 交给应用，由它通过 ActivityKit 订阅。
channels-listed = 该应用有 { $count } 个频道。
channels-read-answer = 设置：{ $policy }，推送类型 LiveActivity。
channels-deleted = 已删除频道 { $channel }。
channels-done = 完成。
channels-unreadable = 服务器回应了 { $status }，但回应内容无法读取：{ $why }
channels-refused = 被拒绝：{ $status } { $reason }
channels-broadcast-accepted = APNs 已为所有订阅设备接受 { $channel } 上的广播。
channels-broadcast-subscribers = 模拟器中有 { $count } 台设备订阅了它。
channels-simulator-heading = 模拟器中的订阅
channels-simulator-intro = 在手机上由应用通过 ActivityKit 订阅；在这里，你可以让模拟设备订阅上面的频道 ID。
channels-device-token = 设备令牌
channels-subscribe = 订阅设备
channels-unsubscribe = 取消订阅设备
channels-subscribers = 有 { $count } 台设备订阅了 { $channel }。
compose-optional = 可选
compose-push-to-start-token = 实时活动推送启动令牌
compose-activity-token = 实时活动更新令牌
compose-device-live-token = { $kind }：{ $token }
compose-device-live-token-unreadable = 保存的{ $kind }不是有效令牌，已略过（仍保留在文件中）：{ $why }
compose-edit-device = 编辑设备
compose-la-heading = 实时活动
compose-la-intro = 逐步处理一个活动：开始（发送到应用的推送启动令牌）、更新、结束（发送到该活动的更新令牌）。时间戳在发送时自动填写。
compose-la-step = 步骤
compose-la-start = 开始
compose-la-update = 更新
compose-la-end = 结束
compose-la-attributes-type = 属性类型
compose-la-attributes = 属性
compose-la-attribute-name = 属性 { $n } 名称
compose-la-attribute-value = 属性 { $n } 值
compose-la-remove-attribute = 删除属性 { $n }
compose-la-add-attribute = + 添加属性
compose-la-input-push-token = 为此实时活动申请专属更新令牌（iOS 18：input-push-token）
compose-la-input-push-channel = 订阅频道（iOS 18）
compose-la-input-push-channel-hint = 频道 ID：该频道的广播会更新此实时活动
compose-la-content-state = 内容状态
compose-la-raw-json = 以 JSON 编辑
compose-la-content-json = 内容状态（JSON）
compose-la-field-name = 字段 { $n } 名称
compose-la-field-value = 字段 { $n } 值
compose-la-remove-field = 删除字段 { $n }
compose-la-add-field = + 添加字段
compose-la-name-hint = 名称
compose-la-value-hint = 文本、数字或 JSON
compose-la-alert-title = 提醒标题
compose-la-alert-body = 提醒正文
compose-la-alert-sound = 提醒声音
compose-la-form-below = 实时活动在下方它自己的卡片中填写：提醒、声音和日期都会写到 iOS 读取的位置。
compose-la-relevance-score = 相关性分数
compose-la-relevance-hint = 任意数字：多个实时活动中，分数最高的显示在灵动岛
compose-la-stale-date = 过时日期
compose-la-dismissal-date = 移除日期
compose-la-dismissal-hint = 留空：结束后最多 4 小时移除；过去的日期会立即移除
compose-la-timestamp = 时间戳
compose-la-timestamp-now = 发送时设为当前时间
compose-la-bad-number = { $field }必须是数字
compose-la-bad-date = { $field }必须是自 1970 年起的整秒数
compose-la-raw-not-object = 内容状态必须是 JSON 字典。{ $error }
compose-la-to-push-to-start = 发送到 { $name } 的推送启动令牌
compose-la-to-activity = 发送到 { $name } 的实时活动更新令牌
simulator-la-heading = 实时活动
simulator-la-state = 状态：{ $state }
simulator-la-active = 进行中
simulator-la-stale = 已过时
simulator-la-ended = 已结束
simulator-la-dismissed = 已移除
simulator-la-started-in-app = 由应用启动
simulator-la-details = { $kind } · { $pushes } 次推送 · 时间戳 { $timestamp } · { $token }
simulator-la-ignored = 已忽略的{ $event }（时间戳 { $timestamp }）：{ $why }
simulator-la-delivery-ignored = 手机忽略了这条推送：{ $why }
simulator-la-why-not-newer = 比上一次更新旧（{ $last }）：手机会忽略它
simulator-la-why-ended = 活动已结束：手机会忽略它
simulator-la-why-unreadable = 没有有效的 event 或 timestamp：手机会忽略它
simulator-la-why-start-on-channel = 广播不能启动实时活动：手机会忽略它
simulator-la-follows-channel = 启动推送要求订阅频道 { $channel }（input-push-channel）：若应用有该频道，其广播会更新此实时活动
simulator-la-token-requested = 启动推送申请了专属更新令牌（input-push-token）：应用会收到该令牌并发送给服务器
simulator-via-channel = 通过频道 { $channel } 广播到此设备
connection-latency-heading = 延迟
connection-latency-intro = 在同一个连接上依次发送检查用的探测请求 { $count } 次（不会投递任何推送），并报告往返时间。
connection-latency-measure = 测量延迟
connection-latency-measuring = 正在测量…
connection-latency-percentiles = p50 { $p50 } · p95 { $p95 } · p99 { $p99 }
connection-latency-range = { $count } 次往返，最快 { $min }，最慢 { $max }
## Issue 13: results of the worker's jobs, worded on the UI thread
failure-read-file = 无法读取文件：{ $error }（{ $path }）
failure-ca-file-unreadable = 无法读取 CA 文件：{ $error }（{ $path }）
failure-ca-file-no-pem = CA 文件中没有 PEM 证书（{ $path }）
failure-simulator-identity = 无法准备模拟器的身份：{ $error }
failure-simulator-ca = 无法准备模拟器的 CA：{ $error }
failure-name-taken = { $path } 已存在：请换一个名称
credentials-test-certificate-name = { $bundle }（测试，{ $environment ->
        [development] 开发
        [production] 生产
       *[universal] 通用
    }）
worker-busy = 等待中的操作太多 — 请等一些完成后再试
worker-stopped = 后台工作线程已停止 — 请重新启动 pushlab
worker-lost = 操作意外停止
worker-cancelled = 已取消
batch-token-lists = 令牌列表
batch-history-device = 批量发送到 { NUMBER($count) } 台设备
batch-source-pasted = 粘贴的内容
batch-invalid-input-at = { $source }，第 { $line } 行：{ $reason }
batch-invalid-line = 第 { $line } 行：{ $reason }
batch-compose-problem = “撰写与发送”中的通知有问题：{ $error }
batch-no-status = 无
credentials-key-id-not-in-file-name = 文件名中没有
simulator-ca-write-failed = 无法写入 CA：{ $error }
simulator-key-with-team = { $key }（团队 { $team }）

## Issue 13: device token errors (the library's TokenError)
token-error-empty = 设备令牌为空 — 请粘贴应用记录的令牌
token-error-description-form = 这是 iOS 13+ 的 `{"{"}length = …, bytes = 0x…{"}"}` 描述，会被“...”截断 — 请在应用中把令牌记录为十六进制（每个字节用 %02x 格式化）
token-error-not-hex = 第 { $position } 个位置的“{ $found }”不是十六进制数字 — 设备令牌是十六进制（0-9、a-f）
token-error-odd-length = 令牌有 { $digits } 个十六进制数字，是奇数 — 少了或多了一位
token-error-too-short = 令牌长 { $bytes } 字节；设备令牌至少 { $min } 字节（通常 32） — 看起来被截短了
token-error-too-long = 令牌长 { $bytes } 字节，超过 { $max } — 可能粘贴了两个令牌

## Issue 13: the library's payload checks (apns::PayloadIssue, worded in gui/i18n/library.rs)
payload-empty = 负载为空 — APNs 会应答 PayloadEmpty
payload-too-large = 负载有 { NUMBER($size) } 字节，超出 { $type } 推送 { NUMBER($limit) } 字节的上限 { NUMBER($over) } 字节 — APNs 会应答 413 PayloadTooLarge
payload-broadcast-too-large = 负载有 { NUMBER($size) } 字节，超出广播 { NUMBER($limit) } 字节的上限 { NUMBER($over) } 字节 — APNs 会应答 413 PayloadTooLarge
payload-broadcast-start = 广播不能启动实时活动："event": "start" 要作为设备推送发给 push-to-start 令牌；频道只传送 "update" 和 "end"
channel-bundle-push-type-suffix = { $bundle } 以推送类型后缀 { $suffix } 结尾：频道请求和广播用不带后缀的 Bundle ID（{ $plain }）指明应用 — APNs 会应答 TopicDisallowed
channel-bad-path-manage = 频道管理有自己的主机：{ $sandbox }（沙盒）和 { $production }（生产）；推送主机对它应答 404 BadPath — 请把请求发到那里
channel-bad-path-broadcast = 广播发往推送主机 { $sandbox } 和 { $production }（端口 443 或 2197）的 /4/broadcasts/apps/<bundle id>；频道管理主机对它应答 404 BadPath
channel-topic-disallowed = 频道请求用不带推送类型后缀（例如 .push-type.liveactivity）的 Bundle ID 指明应用
payload-invalid-json = 不是有效的 JSON：{ $error }
payload-not-an-object = 负载必须是 JSON 对象，例如 {"{"}"aps":{"{"}…{"}"}{"}"}
payload-aps-not-object = "aps" 必须是字典
payload-no-aps = 没有 "aps" 字典：iOS 不会显示任何内容（仅适用于应用自己读取的数据）
payload-background-priority = 后台推送必须使用优先级 5；优先级 10 是错误
payload-background-visible = 后台推送带有 { $keys }：用户能看到的内容请使用 alert 推送类型
payload-background-without-content-available = 后台推送需要 "content-available": 1 才能唤醒应用
payload-content-available-with-alert = "content-available": 1 与可见提醒同时出现：静默推送不应带有 alert、badge 或 sound
payload-alert-shows-nothing = 没有 alert、badge 或 sound 的提醒推送不会显示任何内容
payload-custom-keys-in-aps = "aps" 中的 { $keys } 会被 APNs 忽略 — 请把自定义键放在 "aps" 旁边
payload-interruption-level = interruption-level "{ $level }" 不是 passive、active、time-sensitive 或 critical
payload-relevance-score = relevance-score 应在 0 到 1 之间
payload-badge = "badge" 必须是整数（0 表示清除）
payload-live-event-missing = 实时活动推送需要 "event": "start"、"update" 或 "end"
payload-live-event = "event" 是 { $value }：必须是 "start"、"update" 或 "end"
payload-live-timestamp-missing = 实时活动推送需要 "timestamp"（自 1970 年起的秒数）：iOS 保留最新的，忽略较旧的
payload-live-dismissal-not-end = "dismissal-date" 只在 "event": "end" 时有效：它表示已结束的活动何时离开锁定屏幕
payload-live-content-state-missing = 缺少 "content-state"：iOS 会把它解码为活动的 ContentState，所以 start 或 update 需要它
payload-live-content-state = "content-state" 必须是与活动的 ContentState 相符的字典
payload-live-attributes-type = start 需要 "attributes-type"：应用的 ActivityAttributes 结构体名称（字符串）
payload-live-attributes = start 需要 "attributes"：包含 ActivityAttributes 字段的字典
payload-live-start-alert = 没有 "alert" 的 start 会静默开始；Apple 要求带上提醒，让用户注意到新活动
payload-live-sound-beside-alert = 实时活动的声音应写在 "alert" 里（"alert": {"{"}"sound": "chime.aiff"{"}"}），与 Apple 的实时活动负载一致；写在它旁边的 "sound" 不属于活动的提醒
payload-live-input-push-token = "input-push-token" 必须是 1（向已开始的活动索取其更新令牌）
payload-live-input-push-token-event = "input-push-token" 只能与 "event": "start" 一起使用
payload-live-input-push-channel = "input-push-channel" 是频道 ID（字符串），只能与 "event": "start" 一起使用（iOS 18 广播）
payload-live-relevance-score = "relevance-score" 必须是不小于 0 的数字：最高的会显示在灵动岛中
payload-live-alert = 提醒的 "{ $key }" 必须是字符串，或带有 "loc-key"（和 "loc-args"）的本地化字典
payload-live-priority = iOS 会为优先级 10 的更新设定预算：超出预算后会被限流。频繁的更新请用优先级 5，只有用户必须立即看到的才用 10
payload-live-milliseconds = "{ $key }" 是 { $value }，单位是毫秒：必须是自 1970 年起的秒数（{ $seconds }），否则 iOS 会把更新视为过时
payload-live-date = { $problem ->
        [negative] "{ $key }" 是负数：必须是自 1970 年起的秒数
       *[other] "{ $key }" 必须是自 1970 年起的整数秒数
    }

## Issue 13: what a certificate or key file's inspection found (cert::Finding, worded in gui/i18n/library.rs)
cert-no-private-key = { $file ->
        [p12] 此 .p12 只包含证书，没有私钥 — 请在“钥匙串访问”中展开证书，连同私钥一起导出
       *[other] 没有私钥 — 发送也需要私钥：请把此证书与从钥匙串导出的 .p12 或密钥文件配对
    }
cert-key-mismatch = 私钥不属于此证书 — 请导出与此证书的签名请求一起创建的密钥
cert-key-only = 只有私钥没有证书 — 请与 Apple 开发者网站上的 .cer 配对
cert-legacy-p12 = 旧式加密（{ $detail }），macOS 钥匙串就是这样导出的：OpenSSL 3 只有加 `-legacy` 才能打开；pushlab 可以处理
cert-no-key-id = 文件名中没有密钥 ID（Apple 的命名是 AuthKey_<KEYID>.p8）— 请手动输入；它列在开发者网站的“密钥”页面
cert-expired = 已于 { $date } 过期（{ NUMBER($days) } 天前）— 请在 Apple 开发者网站创建新的推送证书
cert-not-yet-valid = 在 { $date } 之前无效 — 请检查这台电脑的时钟，或等待
cert-expires-soon = 将于 { $date } 过期（还有 { NUMBER($days) } 天）— 请在推送停止之前续期
cert-not-apns = 不是 Apple 推送通知证书（两种 Apple 推送扩展都没有）— 请从 Apple 开发者网站下载你的 App ID 的推送证书
cert-development-only = 开发证书：只能用于沙盒环境（从 Xcode 运行的应用）；TestFlight 和 App Store 版本需要生产证书或“Sandbox & Production”证书

## Issue 13: the doctor's checklist, evidence and fixes (doctor::Check, doctor::Evidence, doctor::Remedy, doctor::VerdictSentence)
words-separator = ；
doctor-check-credential-readable = 凭据可读取
doctor-check-private-key-matches = 私钥匹配
doctor-check-certificate-valid-today = 证书当前有效
doctor-check-apns-certificate = 是 APNs 证书
doctor-check-certificate-environment = 证书适用于该环境
doctor-check-topic-in-certificate = 证书涵盖该主题
doctor-check-auth-key-usable = 认证密钥可用
doctor-check-key-id-well-formed = 密钥 ID 格式正确
doctor-check-team-id-well-formed = 团队 ID 格式正确
doctor-check-topic-given = 已提供主题
doctor-check-key-scope = 密钥范围
doctor-check-token-well-formed = 设备令牌格式正确
doctor-check-token-environment = 令牌来自推送所发往的环境
doctor-check-payload-accepted = APNs 接受该负载
doctor-check-payload-on-ios = iOS 将如何处理该负载
doctor-check-topic-suffix = 主题带有推送类型的后缀
doctor-check-background-throttled = 后台推送会被限流
doctor-check-tried-once = 只尝试一次
doctor-check-pushes-replace-each-other = 推送会相互替换
doctor-check-notification-settings = 通知设置与专注模式
doctor-check-network-path = 网络路径
doctor-check-name-lookup = 域名解析
doctor-check-tcp-connection = TCP 连接
doctor-check-reaching-proxy = 连接代理
doctor-check-proxy-tunnel = 代理到服务器的隧道
doctor-check-tls = TLS 握手与服务器证书
doctor-check-http2 = HTTP/2 及其设置
doctor-check-credential-accepted = 服务器接受凭据
doctor-check-proxy = 代理
doctor-check-proxy-settings = 代理设置
doctor-check-other-port = Apple 的另一个端口
doctor-check-provider-token-fresh = 提供者令牌未过期
doctor-check-test-push = APNs 接受测试推送
doctor-check-clock = 时钟与服务器一致
doctor-verdict-cause = 最可能的原因：{ $evidence }
doctor-verdict-delivered = APNs 已接受推送（{ $evidence }）。如果手机没有显示，原因在手机上：见下方“在手机上”。
doctor-verdict-none-found = 在可检查的范围内没有发现问题；提供设备令牌即可发送测试推送，以确认结果。
doctor-verdict-none-found-no-credential = 在无凭据可检查的范围内没有发现问题；选择证书或认证密钥即可检查服务器并发送测试推送，以确认结果。
doctor-verdict-none-found-not-sent = 在可检查的范围内没有发现问题；测试推送未发送：发送它即可确认结果。
doctor-evidence-credential-missing = 没有提供证书或认证密钥
doctor-evidence-credential-unreadable = 无法读取凭据：{ $error }
doctor-evidence-certificate-unreadable = 无法读取证书：{ $error }
doctor-evidence-credential-readable = { $name }（{ $environment ->
        [development] 开发（仅沙盒）
        [production] 仅生产
        [universal] 沙盒和生产
       *[none] 非 APNs
    }），还有 { NUMBER($days) } 天
doctor-evidence-certificate-key = 私钥属于该证书
doctor-evidence-certificate-key-mismatch = 私钥不属于此证书
doctor-evidence-certificate-key-missing = 证书没有附带私钥
doctor-evidence-certificate-environment-ok = { $certificate ->
        [development] 开发（仅沙盒）
        [production] 仅生产
        [universal] 沙盒和生产
       *[none] 非 APNs
    }证书可用于{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }
doctor-evidence-certificate-environment = 这是{ $certificate ->
        [development] 开发（仅沙盒）
        [production] 仅生产
        [universal] 沙盒和生产
       *[none] 非 APNs
    }证书，而推送发往{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }：APNs 会应答 BadCertificateEnvironment
doctor-evidence-topic-in-certificate = { $topic } 已涵盖（{ $topics }）
doctor-evidence-topic-not-in-certificate = 主题 { $topic } 不在证书的主题中（{ $topics }）：APNs 会应答 BadTopic 或 DeviceTokenNotForTopic
doctor-evidence-auth-key-readable = EC P-256 密钥 { $key }，可签署 ES256 提供者令牌
doctor-evidence-auth-key-curve = 该密钥是 { $curve }，而 APNs 只接受 ES256（EC P-256）令牌
doctor-evidence-auth-key-id = 密钥 ID“{ $key }”不是 10 位字母和数字
doctor-evidence-auth-key-team-id-ok = 团队 { $team }
doctor-evidence-auth-key-team-id = 团队 ID“{ $team }”不是 10 位字母和数字：APNs 会应答 InvalidProviderToken
doctor-evidence-topic-missing = 认证密钥适用于团队的所有应用，因此 APNs 需要主题：但没有提供（MissingTopic）
doctor-evidence-auth-key-scope = 自 2025 年 2 月起，密钥可以限定于一个环境（团队范围）或某些 Bundle ID（主题专用）：此时 APNs 会应答 BadEnvironmentKeyIdInToken 或 TopicDisallowed；下方服务器的应答会说明是哪一种
doctor-evidence-token-missing = 没有提供设备令牌：不会发送测试推送
doctor-evidence-token-ok = { NUMBER($bytes) } 字节的令牌
doctor-evidence-token-tidied = { NUMBER($bytes) } 字节的令牌，已从粘贴内容中整理（括号、空格、大小写）
doctor-evidence-token-environment-ok = { $build ->
        [xcode] 从 Xcode 运行的应用
       *[testflight] 来自 TestFlight 或 App Store 的应用
    }使用{ $tokens ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }令牌，推送也发往{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }
doctor-evidence-token-environment = { $build ->
        [xcode] 从 Xcode 运行的应用
       *[testflight] 来自 TestFlight 或 App Store 的应用
    }使用{ $tokens ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }令牌，但推送发往{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }：APNs 会应答 BadDeviceToken
doctor-evidence-payload-errors = { $errors }
doctor-evidence-payload-ok = { NUMBER($size) } / { NUMBER($limit) } 字节，推送类型 { $type }
doctor-evidence-topic-suffix = { $topic } 以 { $suffix } 结尾
doctor-evidence-background-throttled = iOS 会自行决定何时投递后台（content-available）推送：Apple 建议每小时不超过两三次，低电量模式下不投递，用户强制退出应用后也不投递
doctor-evidence-expiration-zero = apns-expiration 为 0：如果 APNs 尝试投递时手机离线，推送会被丢弃，不会保存
doctor-evidence-collapse-id = 合并 ID“{ $id }”：具有相同 ID 的较新推送会在手机上替换这一条
doctor-evidence-phone-settings = 即使 APNs 接受了提醒，也只有在允许该应用的通知（设置 → 通知）、没有专注模式将其静音时才会显示；应用在前台时由应用自己显示
doctor-evidence-network-skipped = 未检查：连接服务器需要可读取的凭据
doctor-evidence-server-refused = 服务器以 { $reason } 拒绝了凭据：{ $meaning }
doctor-evidence-server-confirms = { $first }；服务器证实：{ $then }
doctor-evidence-proxy-in-use = 通过代理 { $proxy } 连接；由代理解析 { $host }
doctor-evidence-proxy-variables = 已设置 { $variables }，但 pushlab 直接连接 { $host }（该主机在 NO_PROXY 中，或未使用代理）：如果只有代理能访问互联网，TCP 步骤就会失败
doctor-evidence-alternate-port = 到 { $host }:{ $port } 的 TCP 连接也可用
doctor-evidence-alternate-port-blocked = 到 { $host }:{ $port } 的 TCP 连接失败（{ $error }）：防火墙只放行了一个端口
doctor-evidence-provider-token = { NUMBER($age) } 秒前生成；pushlab 会在 { NUMBER($minutes) } 分钟内复用同一令牌，并在 60 分钟前生成新令牌（APNs 拒绝超过一小时的令牌，也拒绝每 20 分钟内多次更新）
doctor-evidence-provider-token-unsigned = 无法签署提供者令牌：{ $error }
doctor-evidence-no-answer = 测试推送没有得到应答：{ $error }
doctor-evidence-delivered = { $server } 应答 200，apns-id { $id }
doctor-evidence-apns-answered = APNs 应答 { $answer }：{ $meaning }
doctor-evidence-server-answered = 服务器应答 { $answer }
doctor-evidence-other-environment-not-asked = { $first }（令牌可能属于另一个环境：允许在那里探测一次即可确认）
doctor-evidence-token-of-other-environment = 这是{ $there ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }的令牌：{ $here ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }应答 BadDeviceToken，而{ $there ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }接受了同一推送；{ $there ->
        [sandbox] 应用是从 Xcode 运行的
       *[production] 应用来自 TestFlight 或 App Store
    }
doctor-evidence-token-in-neither = 两个环境都应答 BadDeviceToken：令牌在两处都无效（被截断、来自其他应用或是编造的）
doctor-evidence-other-environment-answered = { $first }；{ $there ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }对同一推送应答 { $answer }
doctor-evidence-other-environment-unreachable = { $first }；无法询问{ $there ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }（{ $error }）
doctor-evidence-clock-ok = 这台电脑的时钟与服务器（其 date 头）相差不到一分钟
doctor-evidence-clock = 这台电脑的时钟比服务器（其 date 头）{ $direction ->
        [ahead] 快
       *[behind] 慢
    } { NUMBER($minutes) } 分钟
doctor-evidence-clock-refuses-tokens = 这台电脑的时钟比服务器（其 date 头）{ $direction ->
        [ahead] 快
       *[behind] 慢
    } { NUMBER($minutes) } 分钟：提供者令牌带有这个时钟的时间，APNs 会拒绝它们（ExpiredProviderToken 或 InvalidProviderToken）
doctor-remedy-export-again = 请重新导出带私钥的证书（从“钥匙串访问”导出 .p12），并检查口令
doctor-remedy-export-with-key = 请从“钥匙串访问”把证书连同私钥一起导出（.p12），或提供与证书请求一起生成的密钥
doctor-remedy-new-certificate = 请在开发者网站为该 App ID 创建新的 Apple 推送通知服务证书（或改用不会过期的 .p8 认证密钥）
doctor-remedy-push-certificate = 请下载你的 App ID 的推送证书（Apple Push Notification service SSL），而不是开发或分发签名证书
doctor-remedy-production-certificate = 生产环境（TestFlight、App Store）请使用生产证书或“Sandbox & Production”证书
doctor-remedy-sandbox-certificate = 沙盒环境（从 Xcode 运行的应用）请使用开发证书或“Sandbox & Production”证书
doctor-remedy-certificate-for-bundle = 请使用为该应用的 Bundle ID 制作的证书，或检查 Bundle ID（包括推送类型的后缀，例如 .voip）
doctor-remedy-download-p8 = 请从开发者网站的“密钥”页面下载 .p8 密钥（它是 EC P-256）
doctor-remedy-key-id-from-portal = 请使用开发者网站中密钥旁显示的密钥 ID（也在文件名 AuthKey_<KEYID>.p8 中）
doctor-remedy-team-id-from-portal = 请从开发者网站的“会员资格”页面复制团队 ID
doctor-remedy-give-bundle-id = 请提供应用的 Bundle ID
doctor-remedy-log-token-as-hex = 请在应用中把令牌记录为十六进制：token.map {"{"} String(format: "%02x", $0) {"}"}.joined()
doctor-remedy-copy-whole-token = 请按应用记录的原样重新复制完整的令牌
doctor-remedy-paste-hex-token = 请粘贴应用在 didRegisterForRemoteNotificationsWithDeviceToken 中记录的十六进制令牌
doctor-remedy-send-to-token-environment = 请发送到{ $tokens ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }，或安装令牌属于{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }的版本
doctor-remedy-smaller-payload = 请缩小负载：把数据移出负载，在应用打开时再获取
doctor-remedy-background-priority = 后台推送请使用 apns-priority 5
doctor-remedy-fix-payload = 请按说明修正负载 JSON
doctor-remedy-step = { $fix }
doctor-remedy-use-proxy = 请让该主机走代理（从 NO_PROXY 中移除），或允许直接连到 Apple 的 17.0.0.0/8 的 443 或 2197 端口
doctor-remedy-check-p8 = 请检查 .p8 密钥
doctor-remedy-run-again = 请再次运行诊断；如果问题持续，请检查上方的网络路径
doctor-remedy-copy-token-again = 请从应用的日志中重新复制令牌
doctor-remedy-set-clock = 请把这台电脑的时钟设为自动（NTP），然后生成新的提供者令牌

## Issue 13: where pushes go, as History records it (client::Target's label)
destination-apple = Apple { $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }（{ $host }:{ $port }）
destination-apple-channels = Apple { $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }频道管理（{ $host }:{ $port }）
destination-simulator = 本地模拟器（{ $environment ->
        [sandbox] 沙盒环境
       *[production] 生产环境
    }，{ $addr }）
destination-custom = { $host }:{ $port }

## Issue 14: auth keys limited in scope (doctor/scope.rs)
doctor-evidence-key-other-environment = 认证密钥 { $key } 限定于另一个环境（团队范围密钥），而推送发往{ $environment ->
        [sandbox] 沙盒环境
        [production] 生产环境
       *[other] 此服务器
    }：APNs 应答 BadEnvironmentKeyIdInToken
doctor-evidence-key-other-topics = 认证密钥 { $key } 是主题专用密钥，{ $topic } 不在它的主题中：APNs 应答 TopicDisallowed
doctor-remedy-key-for-environment = 请使用为此环境创建的密钥（开发者网站的“密钥”页面会显示每个密钥的环境），或适用于两个环境的密钥
doctor-remedy-key-for-topic = 请在开发者网站的“密钥”页面把 { $bundle } 加入该密钥的主题，或使用适用于整个团队的密钥

## Issue 13: the connection check's steps (client::StepSentence, StepFix, ConnectError, ProxyError)
check-not-run = 未运行：前面的步骤失败了
check-dns-address = { $host } 是地址，无需解析
check-dns-resolved = { $host } → { $addresses }
check-tcp-connected = 已连接到 { $peer }
check-proxy-resolved = 代理 { $proxy } 位于 { $addresses }
check-proxy-address = 代理 { $proxy } 是地址，无需解析
check-proxy-resolves-the-server = { $found }；{ $host } 由代理解析
check-proxy-reached = 已连接到代理 { $proxy }（{ $peer }）
check-proxy-tunnel-http = 代理已打开到 { $target } 的隧道（{ $status } { $reason }）
check-proxy-tunnel-socks5 = SOCKS5 代理已打开到 { $target } 的隧道
check-proxy-tunnel-socks5-resolved = SOCKS5 代理已打开到 { $target } 的隧道（由代理解析域名）
check-tls-verified = { $version } { $cipher }，ALPN { $alpn }，服务器证书已验证：{ $subject }{ $root ->
        [none] {""}
        [usertrust] （由 { $issuer } 签发 — Apple 的 APNs 服务器自 2025 年起使用的根证书）
        [geotrust] （由 { $issuer } 签发 — Apple 的 APNs 服务器 2025 年之前使用的根证书）
       *[other] （由 { $issuer } 签发）
    }
check-tls-done = TLS 握手完成
check-http2-streams = HTTP/2 就绪；服务器允许 { NUMBER($streams) } 个并发流
check-http2-no-limit = HTTP/2 就绪；服务器未设置流数上限
check-probe-failed = 带认证的请求没有得到应答：{ $error }
check-auth-ok = 服务器接受了连接和凭据（只拒绝了故意无效的令牌）
check-refused = { $status } { $reason }：{ $meaning }
check-topic-refused = 凭据已被接受，但主题被拒绝：{ $status } { $reason }：{ $meaning }
check-unexpected-reason = 意外的应答 { $status } { $reason }：{ $meaning }
check-accepts-invalid-token = 服务器接受了发往无效令牌的推送 — 它不像 APNs 那样验证
check-unexpected-answer = 意外的应答 { $status } { $reason }
check-fix-dns = 请检查主机名和 DNS；如果在代理后面，请在“连接”页面的“代理”中填写：由代理解析名称
check-fix-refused = 请启动服务器（模拟器：在“模拟器”页面），或检查端口
check-fix-timeout = 防火墙可能拦截了该端口：请允许连到 Apple 的 17.0.0.0/8 的 443 或 2197 端口
check-fix-no-http2 = 这不是 HTTP/2 APNs 服务器；旧的二进制网关（端口 2195）需要 `pushlab legacy-send`
check-fix-retry = 请重试；如果问题持续，请检查服务器
check-fix-certificate-rejected = 使用 TLS 1.3 时，拒绝客户端证书的服务器直到此时才会说明：请检查证书是否为此服务器环境的 APNs 证书，且由它信任的 CA 签发
check-fix-not-apns = 请检查服务器是否为 APNs 服务器
check-error-dns = 无法解析 { $host }：{ $message } — 请检查主机名和这台电脑的 DNS
check-error-refused = 到 { $addr } 的连接被拒绝 — 那里没有服务在监听（模拟器：请在“模拟器”页面启动它，或选择“本地模拟器”）
check-error-tcp-timeout = { $addr } 在 { NUMBER($secs) } 秒内没有应答 — 防火墙可能拦截了该端口（APNs 也在 2197 端口应答）
check-error-tcp = 无法连接到 { $addr }：{ $message }
check-error-untrusted = 服务器的证书不受信任（{ $reason }）— { $hint }
check-error-tls-refused = 服务器拒绝了 TLS 握手（{ $message }）— { $hint }
check-error-tls = TLS 握手失败：{ $message }
check-error-no-http2 = 服务器不同意使用 HTTP/2（ALPN 为 { $alpn }）— 这是 APNs 服务器吗？
check-error-http2 = HTTP/2 建立失败：{ $message }
check-error-timeout = { $stage ->
        [dns] 域名解析（DNS）
        [tls] TLS 握手
        [http2] HTTP/2 建立
       *[other] 某个步骤
    }超过了 { NUMBER($secs) } 秒
check-error-credential = 凭据无法使用：{ $message }
check-hint-update-roots = 如果服务器是 Apple 的，请更新这台电脑的 CA 证书（Apple 在 2025 年改用 USERTrust RSA 根证书）；如果是模拟器或代理，请选择“自定义主机”并提供它的 CA 文件
check-hint-pass-ca = 请在“自定义主机”下提供服务器的 CA 文件（模拟器的 CA：在“模拟器”页面点击“导出 CA…”）
check-hint-certificate-rejected = 服务器拒绝了客户端证书：请检查它是否为此环境的 APNs 证书且未被吊销
check-hint-needs-certificate = 服务器可能要求客户端证书
check-hint-not-apns = 请检查主机和端口是否为 APNs 服务器
check-hint-tls13-rejected = 使用 TLS 1.3 时，服务器就是这样拒绝客户端证书的：请检查它是否为该服务器信任的 CA 签发的 APNs 证书（模拟器：在“连接”页面生成测试证书）
check-fix-goaway = 服务器发送了 GOAWAY：它正在关闭或重启连接，这与凭据无关；请再次运行检查
check-fix-http2-error = 服务器以 HTTP/2 错误（见上）结束了请求，这不是对凭据的判定；请再次运行检查，如果持续出现，请检查服务器
check-fix-renew-certificate = 续订证书：在 Apple 开发者网站制作新的推送证书，并在“凭据”页面导入
check-fix-certificate-dates = 请检查本机时钟，或等到证书的生效日期
check-error-certificate-refused = 服务器拒绝了客户端证书：TLS 警报 { $alert }（{ $name }）— { $hint }
check-error-certificate-refused-after-handshake = 服务器在 TLS 握手之后拒绝了客户端证书（TLS 1.3 随第一批数据告知）：TLS 警报 { $alert }（{ $name }）— { $hint }
check-error-certificate-expired = 客户端证书已于 { $date } 过期（{ NUMBER($days) } 天前），因此服务器拒绝了它：{ $server } — 请续订：在 Apple 开发者网站制作新的推送证书，并在“凭据”页面导入
check-error-certificate-not-yet-valid = 客户端证书要到 { $date } 才生效（还有 { NUMBER($days) } 天），因此服务器拒绝了它：{ $server } — 请检查本机时钟，或等到那时
check-error-goaway = 服务器在第一个请求之前以 GOAWAY { $reason } 结束了连接（{ $detail }）— 它正在关闭或重启，并非拒绝凭据：请重新连接
check-error-closed-after-tls = 服务器在 TLS 握手后立即关闭了连接（{ $message }）— { $hint }
check-server-refused-certificate = 服务器拒绝了客户端证书：TLS 警报 { $alert }（{ $name }）
check-server-refused-certificate-after-handshake = 服务器在 TLS 握手之后拒绝了客户端证书：TLS 警报 { $alert }（{ $name }）
check-server-refused-tls = 服务器拒绝了 TLS 握手（{ $message }）
check-server-closed-after-tls = 服务器在 TLS 握手后立即关闭了连接（{ $message }）
check-hint-alert-expired = 服务器表示客户端证书已过期：请在 Apple 开发者网站制作新证书，并在“凭据”页面导入
check-hint-alert-revoked = 客户端证书已被吊销：请在 Apple 开发者网站制作新证书，并在“凭据”页面导入
check-hint-alert-unknown-ca = 服务器不信任签发客户端证书的 CA：请选择 Apple 为 APNs 签发的证书（模拟器：在“连接”页面生成测试证书）
check-hint-alert-bad-certificate = 服务器无法使用该客户端证书：请检查它是否为带有自身私钥的 APNs 推送证书
check-hint-alert-required = 服务器要求客户端证书：请在“连接”页面选择一个
check-proxy-dns = 无法解析代理主机 { $proxy }：{ $message }
check-proxy-refused = 无法连接代理 { $proxy }：连接被拒绝（{ $addr }），那里没有代理在监听
check-proxy-unreachable = 无法连接代理 { $proxy }：{ $message }
check-proxy-timeout = 代理 { $proxy } 在 { NUMBER($secs) } 秒内没有应答（{ $stage }时超时）
check-proxy-closed = 代理 { $proxy } 在{ $stage }时关闭了连接，没有应答
check-proxy-auth-required = 代理 { $proxy } 应答 { $status }：{ $sent ->
        [yes] 它拒绝了用户名和密码
       *[no] 它需要用户名和密码
    }{ $wants ->
        [basic] {""}
       *[other] （它要求 { $wants } 认证；pushlab 只支持 Basic）
    }
check-proxy-forbidden = 代理 { $proxy } 应答 403 Forbidden：它不允许建立到 { $target } 的隧道
check-proxy-status = 代理 { $proxy } 对 CONNECT { $target } 应答 { $status }：{ $meaning }
check-proxy-not-http = 代理 { $proxy } 的应答不像 HTTP 代理（{ $what }）
check-proxy-not-socks = 代理 { $proxy } 的应答不像 SOCKS5 代理（{ $what }）
check-proxy-socks-method-rejected = SOCKS 代理 { $proxy } 拒绝了提供的认证方式（{ $offered }）
check-proxy-socks-auth-failed = SOCKS 代理 { $proxy } 拒绝了用户名和密码
check-proxy-socks-refused = SOCKS 代理 { $proxy } 拒绝连接到 { $target }：{ $meaning }（SOCKS 应答 { $code }）
check-proxy-invalid = 无法向代理 { $proxy } 请求隧道：{ $message }
check-proxy-io = 与代理 { $proxy } 的连接中断：{ $message }
check-proxy-fix-dns = 请检查“代理”中的代理主机名，以及这台电脑的 DNS
check-proxy-fix-address = 请检查“代理”中的代理地址和端口，并确认代理正在运行；“代理”留空则直接连接
check-proxy-fix-timeout = 代理或其前面的防火墙吞掉了连接：请检查代理的地址和端口，并确认它是 URL 所写的 HTTP 或 SOCKS5 代理
check-proxy-fix-scheme = 请检查 URL 的协议是否与代理相符（http:// 或 socks5://），并查看代理的日志
check-proxy-fix-give-credentials = 请在“代理”中以 http://USER@HOST:PORT 的形式填写代理用户名，并在下方填写密码
check-proxy-fix-check-credentials = 请检查代理的用户名和密码（URL 中的 @ : / 等字符必须进行 % 编码）
check-proxy-fix-forbidden = 请让代理管理员允许 CONNECT 到 Apple 主机的 443 端口，或尝试 APNs 同样应答的 2197 端口
check-proxy-fix-status = 代理无法建立隧道：请检查目标主机和端口，以及代理的日志
check-proxy-fix-not-http = 这看起来不是 HTTP 代理：如果是 SOCKS 代理，请写成 socks5://HOST:PORT
check-proxy-fix-not-socks = 这看起来不是 SOCKS5 代理：如果是 HTTP 代理，请写成 http://HOST:PORT
check-proxy-fix-socks-method = 代理需要另一种认证方式：请提供用户名和密码（socks5://USER@HOST:PORT，并在下方填写密码），或检查代理的配置
check-proxy-fix-socks-rules = 代理的规则禁止此主机或端口：请要求允许 Apple 主机的 443 端口，或尝试 2197 端口
check-proxy-fix-socks-unreachable = 代理无法访问（或解析）该主机：请检查主机名，以及代理自身的网络和 DNS
check-proxy-fix-socks-nothing-listens = 从代理看来，目标主机和端口没有服务在监听：请检查端口（APNs 为 443 或 2197）
check-proxy-fix-socks-other = 代理无法建立隧道：请查看代理的日志
check-proxy-fix-invalid = 请缩短主机名或代理凭据（SOCKS5 每项最多 255 字节）

## Issue 13: why a credential file could not be read or written (cert::CertError)
cert-error-not-found = { $path }：文件不存在 — 请检查路径
cert-error-is-directory = { $path } 是文件夹 — 请选择其中的证书或密钥文件
cert-error-not-a-file = { $path } 不是普通文件（管道、设备或套接字）— 请把凭据保存为文件后再提供
cert-error-io = { $path }：无法读取（{ $error }）
cert-error-empty = { $name } 是空文件（0 字节）— 请重新下载或导出
cert-error-too-large = { $name } 有 { NUMBER($size) } 字节，远大于任何证书或密钥（几 KB）：它不是凭据文件
cert-error-unrecognised = { $name } 不是证书、私钥或 PKCS#12 文件 — 应为 .cer/.der（DER）、.pem、.p12/.pfx 或 .p8
cert-error-corrupt-p12 = { $name } 看起来是 PKCS#12（.p12）文件，但已截断或损坏 — 请从钥匙串重新导出
cert-error-corrupt-certificate = { $name } 看起来是 DER 证书，但已截断或损坏 — 请重新下载 .cer
cert-error-corrupt-pem = { $name }：PEM 块“{ $label }”已损坏（{ $detail }）— 文件可能被截断或编辑过
cert-error-passphrase-required = { $name } 受口令保护 — 请输入口令（.p12 的口令是从钥匙串导出时设置的）
cert-error-wrong-passphrase = { $name } 的口令错误 — .p12 的口令是从钥匙串导出时设置的；加密密钥则是 PEM 口令
cert-error-passphrase-has-nul = { $name } 的口令包含 NUL 字符，.p12 口令不能包含它 — 请去掉后重新输入
cert-error-legacy-provider-missing = { $name } 使用旧式加密（RC2-40/3DES，macOS 钥匙串就是这样导出的），而 OpenSSL 的 legacy 提供程序无法加载（{ $detail }）。请安装 OpenSSL 3 的 legacy 模块（Debian/Ubuntu：libssl3 自带 ossl-modules/legacy.so），或把 OPENSSL_MODULES 指向其所在文件夹
cert-error-no-certificate = { $name } 中没有证书{ $hint }
cert-error-no-private-key = { $name } 中没有私钥 — 请同时导入密钥（例如从钥匙串导出的 .p12）
cert-error-not-an-auth-key = { $name } { $found ->
        [none] 中没有私钥
        [certificates] 中除 EC P-256 密钥外还有证书
       *[other] 中是 { $kind } 密钥
    }，而 APNs 认证密钥（.p8）只是一把单独的 EC P-256 密钥 — 请从 Apple 开发者网站（密钥）重新下载
cert-error-key-mismatch = { $key } 中的私钥不属于 { $cert } 中的证书 — 请选择与此证书一起导出的密钥
cert-error-already-exists = { $path } 已存在：请换一个名称
cert-error-openssl = OpenSSL 在{ $action }时失败：{ $detail }

## 输出文件未写入的原因（files::FileError）
file-error-exists = 那里已有文件：请换一个名字，或允许替换（{ $path }）
file-error-same-as-input = 输出文件同时也是输入文件（{ $input }）：请写到另一个文件（{ $path }）
file-error-is-directory = 那是一个文件夹：请指定其中的一个文件（{ $path }）
file-error-io = 无法写入文件（{ $error }）：{ $path }

## 推送没有回应的原因（client::SendError）
send-error-not-processed = 服务器没有处理（{ $detail }）；可以安全地重发
send-error-no-answer = 已发送，但没有收到回应（{ $detail }）；服务器可能已经处理
send-error-timeout = 已发送，但 { $secs } 秒内没有回应；服务器可能已经处理
send-error-token = 无法生成提供者令牌：{ $detail }
send-error-request = 无法构造请求：{ $detail }
channel-id-error-empty = 频道 ID 是空的
channel-id-error-too-long = 频道 ID 超过 { $max } 字节
channel-id-error-not-base64 = “{ $text }”不是频道 ID：频道 ID 是 base64 文本，即创建频道时 APNs 在 apns-channel-id 中返回的值（例如 dHN0LXNyY2gtY2hubA==）
header-error-priority = 优先级只能是 10（立即）、5（省电）或 1（最低），不能是 { $priority }
header-error-expiration = 过期时间“{ $text }”不是 Unix 时间、0（立即或放弃）或 +秒数
header-error-collapse-id-too-long = 合并 ID 有 { $bytes } 字节；APNs 最多允许 { $max } 字节
header-error-apns-id = apns-id“{ $text }”不是形如 123e4567-e89b-12d3-a456-4266554400a0 的 UUID（也可以留空）
header-error-bundle-id = “{ $text }”不是 Bundle ID：{ $why ->
        [empty] 它是空的
        [too-long] 它超过 155 个字符
        [space] 它含有空格
        [character] 只允许字母、数字、“-”和“.”
       *[empty-part] 它有空的部分（两个连续的点，或以点开头或结尾）
    }
cert-environment-label = { $certificate ->
        [development] 开发（仅沙盒）
        [production] 仅生产
        [universal] 沙盒和生产
       *[none] 非 APNs 证书
    }
apns-environment-label = { $environment ->
        [sandbox] 沙盒
       *[production] 生产
    }
result-error-turned-away = 服务器 { $times } 次未经处理就退回了它（{ $detail }）
result-error-refused = 服务器 { $times } 次拒绝了它，均未处理（{ $detail }）
result-error-stopped-in-flight = 批量发送被立即停止时它的回应尚未到来：它可能已到达 APNs
result-error-sent-by-interrupted-run = 由被中断的那次运行发出，回应记下之前运行就结束了：它可能已到达 APNs，因此没有再次发送
batch-stop-cancelled = 批量发送先被取消了
batch-stop-deadline = 批量发送先到了截止时间
batch-stop-no-connection = 无法连接：{ $detail }
batch-stop-journal = 无法写入批量发送的日志：{ $detail }
batch-stop-refused = 服务器连续拒绝了 { $count } 个流而没有回应任何推送（REFUSED_STREAM）：它不接收推送

## Results that remember their route; credentials told apart; warnings before sending
result-stale = 这是用 { $credential } 得到的结果。此后目标、凭证、Bundle ID 或推送已更改：请重新运行。
result-was-the-start = 这是对你发送的开始推送的回应。“撰写与发送”中现在是随后的更新：按“发送”即发出。
batch-result-stale = 这是用 { $credential } 发送的结果。此后收件令牌、推送、目标、凭证或 Bundle ID 已更改：要知道现在的结果，请重新发送。
route-warning-expired = 证书已于 { NUMBER($days) } 天前过期：TLS 握手将失败。请在开发者网站续期。
route-warning-not-yet-valid = 证书要在 { NUMBER($days) } 天后才生效：TLS 握手将失败。请检查电脑的时钟。
route-warning-development-certificate = 这是开发（沙盒）证书，而推送发往生产环境：APNs 将回答 BadCertificateEnvironment。
route-warning-production-certificate = 这是生产证书，而推送发往沙盒环境：APNs 将回答 BadCertificateEnvironment。
route-warning-topic = 主题 { $topic } 不在证书的主题（{ $topics }）之中：APNs 将回答 BadTopic。清空 Bundle ID 即使用证书自带的。
route-warning-needs-token = Apple 只通过基于令牌的连接（认证密钥 .p8）接受 { $push_type } 推送，不接受证书连接：请选择认证密钥作为凭据。
connection-key-id-length = 密钥 ID 由 10 个字母和数字组成；这里有 { NUMBER($count) } 个字符。
connection-team-id-length = 团队 ID 由 10 个字母和数字组成；这里有 { NUMBER($count) } 个字符。
credentials-same-certificate = 与 { $name } 是同一张证书
credentials-already-imported = { $name } 与列表中已有的 { $other } 是同一张证书。
batch-pasted-lines = 已粘贴 { NUMBER($count) } 行：太多，无法在此编辑。
batch-show-pasted = 显示列表
batch-hide-pasted = 隐藏列表
batch-clear-pasted = 清除粘贴的令牌
batch-invalid-lines = { NUMBER($count) } 行不是令牌
batch-more-invalid-lines = ……另有 { NUMBER($count) } 行不是令牌：结果中会将其列为无效输入
batch-reading-pasted = 正在读取粘贴的令牌…
push-type-help-alert = 用户能看到或听到的通知
push-type-help-background = 在后台静默唤醒应用以获取内容
push-type-help-complication = 更新 watchOS 表盘复杂功能
push-type-help-controls = 重新加载控件（WidgetKit：控制中心、锁定屏幕）
push-type-help-fileprovider = 通知文件提供程序扩展其文件已更改
push-type-help-liveactivity = 开始、更新或结束实时活动
push-type-help-location = 请求位置推送服务扩展获取位置
push-type-help-mdm = 让受管设备向其 MDM 服务器签到
push-type-help-pushtotalk = 对讲（Push to Talk）频道更新
push-type-help-voip = VoIP 来电（CallKit）
push-type-help-widgets = 重新加载应用的小组件（WidgetKit）
compose-guide-why = 查看原因
compose-la-plus-hour = +1 小时
compose-la-date-is = 即 { $date }。
simulator-refused-heading = 被拒绝的请求（最新 { NUMBER($count) } 条）
simulator-refused-probe = 连接检查的探测请求（故意使用无效令牌，被拒绝属正常）
simulator-refused-over-certificate = 通过证书发送：Apple 只通过基于令牌的连接接受 { $push_type } 推送。
chart-batch-heading = 图表
chart-by-day = 每日发送
chart-by-day-summary = { NUMBER($days) } 天内 { NUMBER($entries) } 条历史记录：{ NUMBER($delivered) } 条已投递，{ NUMBER($rejected) } 条被拒绝，{ NUMBER($unanswered) } 条无应答。
chart-by-kind = 按推送类型和优先级
chart-by-reason = 按原因统计的拒绝
chart-csv-path = 数据另存为
chart-days = 天
chart-delivered = 已投递
chart-filter-any = 全部
chart-filter-credential = 凭据
chart-filter-destination = 目标
chart-latency-histogram = 往返时间
chart-latency-summary = { NUMBER($count) } 次往返：p50 { $p50 } 毫秒，p95 { $p95 } 毫秒，p99 { $p99 } 毫秒。
chart-latency-before = 上一次（{ $with }）：p50 { $p50 } 毫秒。
chart-latency-over-time = 延迟
chart-latency-over-time-summary = 最后：p50 { $p50 } 毫秒，p99 { $p99 } 毫秒。
chart-ms = 毫秒
chart-not-sent = 未发送
chart-nothing-yet = 暂无数据。
chart-outcomes = 结果（按到达顺序）
chart-outcomes-summary = { NUMBER($delivered) } 条已投递，{ NUMBER($rejected) } 条被拒绝，{ NUMBER($unconfirmed) } 条未确认，{ NUMBER($notsent) } 条未发送{ $invalid ->
        [0] {""}
       *[other] ，{ NUMBER($invalid) } 条无效输入
    }。
chart-per-second = 每秒
chart-pushes = 推送数
chart-refused = 已拒绝
chart-rejected = 被拒绝
chart-retries = 重发
chart-round-trips = 往返次数
chart-save-csv = 保存 CSV
chart-saved = 已保存到 { $path }
chart-seconds = 秒
chart-simulator-traffic = 模拟器流量
chart-simulator-traffic-summary = 峰值每秒投递 { NUMBER($peak) } 条。
chart-this-run = 本次
chart-throughput = 吞吐量
chart-throughput-summary = 峰值每秒 { NUMBER($peak) } 条；重发 { NUMBER($retried) } 条。
chart-unanswered = 无应答
chart-unconfirmed = 未确认
history-dashboard = 仪表板
simulator-api = 控制 API 与网页收件箱
simulator-api-port = API 端口
simulator-api-url = 网页收件箱与 API：
simulator-api-hint = 仅限本机回环地址。测试可通过它等待推送、更改设备和故障；浏览器可实时查看收件箱。启动时生效。
cert-error-too-many-iterations = { $name } 要求 { NUMBER($iterations) } 次密钥派生迭代，超过 pushlab 允许的 { NUMBER($limit) } 次（钥匙串和 OpenSSL 约写 2,000 次；这么高的次数每试一次密码就要让电脑忙上几分钟）：请重新导出
batch-resume-title = 有一个批量发送未完成
batch-resume-what = 于 { $started } 开始，使用 { $credential } 发送到 { NUMBER($total) } 台设备：还有 { NUMBER($left) } 条推送未发送。
batch-resume-earlier = 停止前已有结果、不会再次发送：{ NUMBER($delivered) } 条已送达，{ NUMBER($rejected) } 条被拒绝。
batch-resume-unconfirmed = 停止前有 { NUMBER($count) } 条推送已发出但未收到回复：它们可能已到达设备，因此不会再次发送（列为“未确认”）。
batch-resume-more = 之后还有 { NUMBER($count) } 个未完成的批量发送。
batch-resume-button = 继续：发送未发送的 { NUMBER($count) } 条
batch-resume-discard = 放弃此批量发送
batch-resume-other-route = 要继续，请选择 { $credential } 以及开始时使用的目标服务器。
batch-resume-discard-failed = 无法删除 { $path }：{ $error }
batch-no-journal = 此批量发送没有日志（{ $error }）：如果应用停止，将无法继续。
chart-save-png = 保存图片：{ $path }
chart-picture-not-shown = 截图时图表不在屏幕上：请将其滚动到可见处后重新保存。
simulator-la-why-to-start-token = 发送到了推送启动令牌：手机只通过活动自己的更新令牌（{ $token }）更新它
simulator-la-started-at = 由发往 { $start } 的推送启动；它的更新令牌是 { $update }：更新和结束都发到这里
simulator-la-copy-token = 复制更新令牌
simulator-la-send-update = 给它发送更新
simulator-la-send-update-hint = 在“编写与发送”中，沿用其内容状态，向该活动自己的令牌发送更新
compose-la-followed = 模拟手机为启动的活动生成了自己的更新令牌（{ $token }）：本次更新发往那里，手机要求如此
compose-la-followed-saved = 模拟手机为启动的活动生成了自己的更新令牌（{ $token }），已保存到 { $name }：本次更新发往那里，手机要求如此
compose-la-update-to-start-token = 这是推送启动令牌：APNs 会接受发往它的更新或结束，但不会改变任何活动。请发往活动自己的更新令牌：应用从活动的 pushTokenUpdates 获得它并发给自己的服务器。
doctor-check-credential-for-push-type = 凭据适合该推送类型
doctor-evidence-needs-token = Apple 只通过基于令牌的连接（认证密钥 .p8）接受 { $push_type } 推送，不接受证书
doctor-remedy-use-auth-key = 请用开发者门户“Keys”页面的认证密钥（.p8）及其密钥 ID 和团队 ID 发送这类推送
batch-live-token-missing = 有 { $count } 台选中的设备没有保存{ $kind }（{ $names }）：本次实时活动批量发送不包括它们。可在“撰写与发送”中用“编辑设备”添加。
