import EpsomCore
import HTTPTypes
import Hummingbird

/// The page frame: phone-first, readable without JavaScript, with the no-medical-advice line on
/// every page.
enum Layout {
    static func page(_ title: String, identity: Identity?, csrf: String? = nil, _ body: HTML) -> HTML {
        let links: HTML
        switch identity?.account.role {
        case nil:
            links = "<a href=\"/evidence\">Evidence</a> <a href=\"/signin\">Sign in</a> <a href=\"/signup\">Create an account</a>"
        case .clinician:
            // A clinician keeps no diary: the patients who share, their studies, the evidence, the account.
            links = """
                <a href="/">Patients</a> <a href="/studies">Studies</a> <a href="/evidence">Evidence</a> <a href="/account">Account</a>
                """
        case .pharmacist:
            // A pharmacist keeps the allocations of the blinded studies that name them.
            links = "<a href=\"/pharmacy\">Pharmacy</a> <a href=\"/evidence\">Evidence</a> <a href=\"/account\">Account</a>"
        case .patient:
            links = """
                <a href="/">Today</a> <a href="/history">History</a> <a href="/doses">Magnesium</a> <a href="/trials">Trials</a> \
                <a href="/evidence">Evidence</a> <a href="/account">Account</a>
                """
        }
        let nav: HTML =
            identity == nil
            ? links
            : """
            \(links)
            <form method="post" action="/signout" class="inline"><input type="hidden" name="csrf" value="\(text: csrf ?? "")"><button class="link">Sign out</button></form>
            """
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(text: title) · Epsom</title><link rel="stylesheet" href="/style.css"></head>
            <body><header><strong>Epsom</strong><nav>\(nav)</nav></header>
            <main>\(body)</main>
            <footer><p>\(text: SafetySources.noMedicalAdvice)</p></footer></body></html>
            """
    }

    /// The stylesheet, served at /style.css: no inline style anywhere, so the CSP needs no
    /// 'unsafe-inline' for styles.
    static func stylesheet() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: style)))
    }

    /// A field's error message, shown beside it.
    static func error(_ errors: FieldErrors, _ field: String) -> HTML {
        guard let message = errors[field] else { return "" }
        return "<span class=\"error\" id=\"\(text: field)-error\">\(text: message)</span>"
    }

    static let style = """
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#1f4e79;color:#fff}
        header a,header .link{color:#fff;margin-right:.7rem;text-decoration:none;font:inherit;background:none;border:0;padding:0;cursor:pointer}
        main{max-width:44rem;margin:0 auto;padding:1rem}
        footer{max-width:44rem;margin:0 auto;padding:0 1rem 2rem;color:#555;font-size:.85rem}
        h1{font-size:1.4rem;margin:.4rem 0 1rem} h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
        label{display:block;margin:.6rem 0 .2rem;font-weight:600}
        input,select,textarea,button{font:inherit;padding:.5rem;border:1px solid #bbb;border-radius:.4rem;box-sizing:border-box}
        input[type=text],input[type=email],input[type=password],input[type=date],input[type=datetime-local],input[type=number],select,textarea{width:100%}
        button{background:#1f4e79;color:#fff;border-color:#1f4e79;cursor:pointer;margin-top:.8rem}
        button.secondary{background:#fff;color:#1f4e79} .inline{display:inline}
        .scale{display:flex;gap:.2rem;flex-wrap:wrap} .scale label{font-weight:400;margin:0}
        .scale input{position:absolute;opacity:0;width:1px;height:1px}
        .scale span{display:inline-block;min-width:2.1rem;text-align:center;padding:.35rem 0;border:1px solid #bbb;border-radius:.4rem;background:#fff}
        .scale input:checked+span{background:#1f4e79;color:#fff;border-color:#1f4e79}
        .scale input:focus-visible+span{outline:3px solid #f2cc8f}
        .error{display:block;color:#b00020;font-size:.9rem;margin-top:.2rem}
        .notice{padding:.7rem .9rem;border-radius:.5rem;margin:.6rem 0;background:#fff;border-left:5px solid #2e86ab}
        .warning{border-left-color:#b22222} .ok{border-left-color:#3c8d5f} .flag{color:#b22222;margin-right:.3rem}
        .source{display:block;color:#555;font-size:.8rem;margin-top:.2rem}
        table{border-collapse:collapse;width:100%} td,th{padding:.3rem .4rem;border-bottom:1px solid #ddd;text-align:left}
        .chartbox svg{width:100%;max-width:30rem;height:auto;background:#fff;border:1px solid #ddd;border-radius:.4rem}
        .chartbox.forest svg{max-width:none;min-width:40rem}
        details{margin:.6rem 0} summary{cursor:pointer;font-weight:600}
        .calendar td,.calendar th{text-align:center;padding:.2rem;border:1px solid #e3e3e3;width:14%}
        h3{font-size:1.02rem;margin:1rem 0 .4rem} code{font-size:.85rem;overflow-wrap:anywhere}
        .scroll{overflow-x:auto} .nowrap{white-space:nowrap}
        .badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .4rem;border-radius:.3rem;background:#fde2c8;color:#7a3b00}
        .study{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:.2rem .9rem;margin:.7rem 0}
        .gapmap td{vertical-align:top;font-size:.9rem;min-width:6.5rem} .gapmap a{color:inherit;text-decoration:none;display:block}
        .gapmap th[scope=row]{position:sticky;left:0;background:#fafafa;min-width:7rem}
        .gap-empty{background:#f8d7da} .gap-short{background:#fff3cd} .gap-unknown{background:#ececec} .gap-ok{background:#e6f4ea} .legend{padding:0 .3rem;border-radius:.2rem}
        .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 .6rem;align-items:end}
        .plain{font-weight:400} .inline-button{margin:0 0 0 .5rem} .flush{margin:0} .flush-top{margin-top:0}
        .row{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap} .box{border:1px solid #ddd;border-radius:.4rem;margin:.8rem 0;padding:.2rem .7rem .6rem}
        .bare{border:0;padding:0;margin:0} ul.bare{list-style:none} .bare.spaced{margin:.8rem 0} .break{word-break:break-all} .wrap{white-space:pre-wrap}
        .scale span.wide{min-width:6rem;padding:.35rem .6rem} tr.current{background:#fff6d6}
        .jar{border:2px dashed #333;padding:1rem;margin:1rem 0;break-inside:avoid} .jar-name{font-size:2rem;font-weight:700;margin:0}
        .large{font-size:1.4rem} .report-text{white-space:pre;overflow-x:auto;font-size:.8rem}
        .pain0{background:rgb(255,255,255)}.pain1{background:rgb(255,241,241)}.pain2{background:rgb(255,227,227)}.pain3{background:rgb(255,213,213)}.pain4{background:rgb(255,199,199)}.pain5{background:rgb(255,185,185)}.pain6{background:rgb(255,171,171)}.pain7{background:rgb(255,157,157)}.pain8{background:rgb(255,143,143)}.pain9{background:rgb(255,129,129)}.pain10{background:rgb(255,115,115)}
        @media print{header,footer form,form,.noprint,details>summary{display:none} main{max-width:none;padding:0}
        body{background:#fff} .chartbox svg{border:0} details{display:block}}
        .rob{font-size:.85rem;margin:.4rem 0 .6rem} .rob caption{text-align:left;padding:.2rem 0} .rob th{font-weight:600}
        .rob-mark{display:inline-block;padding:0 .35rem;border-radius:.25rem;font-size:.8rem;font-weight:600;white-space:nowrap}
        .rob-low{background:#d4edda;color:#155724} .rob-some{background:#fff3cd;color:#6b4e00} .rob-high{background:#f8d7da;color:#721c24}
        .gap-under-4{background:#fff3cd} .gap-4-to-12{background:#d6eaf8} .gap-12-plus{background:#8cc4e8}
        .gap-legend{list-style:none;padding:0} .gap-legend li{margin:.2rem 0}
        .gap-trials{margin:.3rem 0 0;padding-left:1rem;font-size:.8rem} .gapmap .gap-trials a{display:inline;text-decoration:underline}
        .gapmap td.gap-skin{min-width:11rem} .scroll-hint{font-size:.85rem;color:#555;margin:.2rem 0}
        .account{background:#fff;border-left:5px solid #8a6d3b;padding:.2rem .9rem;margin:.8rem 0}
        .prisma{list-style:none;padding:0} .prisma-stage h3{margin:.6rem 0 .3rem}
        .prisma-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.5rem}
        .prisma-box{background:#fff;border:2px solid #1f4e79;border-radius:.4rem;padding:.4rem .6rem;font-size:.9rem}
        .prisma-box ul{margin:.3rem 0 0;padding-left:1.1rem;font-size:.8rem} .prisma-out{border-color:#999;border-style:dashed}
        .prisma-other{border-color:#2e86ab}
        .study,.prisma-box,.account,.references{overflow-wrap:anywhere} .rob{table-layout:fixed} .rob th{width:34%} .rob td:nth-child(2){width:28%}
        .rob .rob-mark{white-space:normal}
        """
}
