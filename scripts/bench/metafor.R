# Times metafor on the benchmark inputs: "metafor <workload> <median ms> <runs>".
# rma.uni forms k x k matrices (diag(wi), P, P %*% P): REML and PM cost O(k^3) per iteration
# (2.7 s at k = 1,000 here), and k = 100,000 would need ~80 GB per matrix. So REML and PM run at
# k = 1,000 only, DL (O(k^2)) also at k = 10,000, and larger sizes are reported as infeasible.
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE); dir <- if (length(args)) args[1] else "bench-data"
time_it <- function(name, f) {
  s <- c(); total <- 0
  while (length(s) < 5 || (total < 1 && length(s) < 200)) {
    t <- system.time(f())[["elapsed"]]; s <- c(s, t); total <- total + t
  }
  cat(sprintf("metafor %s %.3f %d\n", name, median(s) * 1000, length(s)))
}
d <- read.csv(file.path(dir, "generic_1000.csv"))
for (m in c("REML", "DL", "PM")) time_it(sprintf("%s_k1000", tolower(m)), function() rma(d$yi, d$vi, method = m))
d <- read.csv(file.path(dir, "generic_10000.csv"))
time_it("dl_k10000", function() rma(d$yi, d$vi, method = "DL"))
for (m in c("reml", "pm")) cat(sprintf("metafor %s_k10000 infeasible 0\n", m))
for (k in c(100000, 1000000)) for (m in c("reml", "dl", "pm")) cat(sprintf("metafor %s_k%d infeasible 0\n", m, k))
d <- read.csv(file.path(dir, "means_1000000.csv"))
time_it("smd_escalc_k1000000", function() escalc("SMD", m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i, m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i))
