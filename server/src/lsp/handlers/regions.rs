//! `borrowlens/regions`: the borrows live at a position or created in a range, with their live
//! ranges.

use borrowlens_analysis::RegionQuery;
use tower_lsp_server::jsonrpc::Result;

use crate::lsp::ext::{Region, RegionsParams};
use crate::lsp::server::Server;
use crate::lsp::{from_lsp, to_lsp};

pub async fn handle(server: &Server, params: RegionsParams) -> Result<Vec<Region>> {
    let (position, range) = (params.position, params.range);
    let regions = server.query("borrowlens/regions", &params.text_document.uri, move |it| {
        let query = RegionQuery {
            offset: position.map(|at| from_lsp::offset(&it.text, at) as u32),
            range: range.map(|range| from_lsp::range(&it.text, range)),
        };
        let regions = it.analysis.regions(it.file, query)?;
        Ok(regions
            .iter()
            .map(|region| to_lsp::region(&it.text, region))
            .collect())
    });
    Ok(regions.await?.unwrap_or_default())
}
