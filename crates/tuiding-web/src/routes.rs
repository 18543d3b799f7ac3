//! Every route the server answers is registered through [`Routes`], so the list of routes
//! (method and path) comes from the very calls that build the router. The isolation test
//! walks that list — every route asked by one account with another's ids — and a route
//! added later cannot escape it.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

use crate::state::AppState;

/// One route: a method and a path as registered (`/cases/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path, with its `{parameters}`.
    pub path: String,
}

/// A router and the list of what it routes.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    list: Vec<Route>,
}

macro_rules! method {
    ($name:ident, $make:ident, $method:expr) => {
        #[doc = concat!("Adds a `", stringify!($name), "` route.")]
        pub fn $name<H, T>(self, path: &str, handler: H) -> Routes
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.add($method, path, $make(handler))
        }
    };
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Routes {
        Routes::default()
    }

    method!(get, get, Method::GET);
    method!(post, post, Method::POST);
    method!(put, put, Method::PUT);
    method!(patch, patch, Method::PATCH);
    method!(delete, delete, Method::DELETE);

    fn add(mut self, method: Method, path: &str, route: MethodRouter<AppState>) -> Routes {
        // axum merges the methods of one path registered in several calls.
        self.router = self.router.route(path, route);
        self.list.push(Route {
            method,
            path: path.to_string(),
        });
        self
    }

    /// Adds the routes of another module.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// Adds another module's routes under `prefix` (`/api/v1`).
    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.list.extend(other.list.into_iter().map(|r| Route {
            path: format!("{prefix}{}", r.path),
            ..r
        }));
        self
    }

    /// What answers a path no route matches.
    pub fn fallback<H, T>(mut self, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    /// Every route, in the order registered.
    pub fn list(&self) -> &[Route] {
        &self.list
    }

    /// The router.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
